"""Fallback ETL child (``python -m bench.etl_child CSV DB``) for when ``python -m etl`` is absent.

Calls the public ``etl.load.load_file`` with the ``generic`` mapping and prints the summary as
JSON, the same keys as ``python -m etl load --json``.
"""

from __future__ import annotations

import json
import sys

from etl.load import load_file

if __name__ == "__main__":
    summary = load_file(sys.argv[1], db=sys.argv[2], source="generic")
    print(json.dumps(summary.to_dict(), default=str))
