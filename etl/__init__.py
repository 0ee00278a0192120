"""Kinerja ETL: load complaint and service exports into the DuckDB warehouse.

``etl.load.load_file`` is the entry point (see docs/ARCHITECTURE.md §2); ``python -m etl``
is the command line. Source formats are declared in ``etl/sources/*.toml``.
"""
