"""The floor: DuckDB alone reading the CSV into a table of a new database file.

Run as ``python -m bench.floor CSV DB``; the benchmark times this child process the same way it
times ``python -m etl load``, so both include interpreter start-up and the final checkpoint.
"""

from __future__ import annotations

import sys

import duckdb


def main(csv: str, db: str) -> int:
    """Create ``t`` from ``read_csv(csv)`` in ``db``; print the row count."""
    con = duckdb.connect(db)
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [csv])
    print(con.execute("SELECT count(*) FROM t").fetchall()[0][0])
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
