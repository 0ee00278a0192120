"""The demo city: a realistic synthetic Indonesian city, loaded through the real ETL.

``build_demo()`` generates complaints and service applications, writes them as raw exports
(SP4N-LAPOR! Laporan Ringkas, ``generic`` channel files, ``generic_services`` files) and loads
each with ``etl.load.load_file``, exactly as an official would.
"""

from etl.demo.build import build_demo, generate_city

__all__ = ["build_demo", "generate_city"]
