"""``python -m kpi summary|weekly|build|export-lake|brief|notify``: the KPI layer's command-line
face for scripts and checks, its stored tables (``build``), the lake (``export-lake``), the
Monday brief (``kpi.brief.cli``) and its delivery (``kpi.notify.cli``).

Errors (missing database, bad week, bad settings, a date outside 1900..2199) print one line to
stderr and exit 2, with no traceback; an unexpected error (a bug) exits 3, Ctrl-C 130.
``summary --json`` prints exactly ``Warehouse.summary`` as one JSON object (DuckDB's progress
bar is off in every reader connection, so nothing else reaches stdout). ``build`` rebuilds the
KPI tables in the database file (as every load does); ``export-lake DIR`` writes the staged
facts as Hive-partitioned Parquet for ClickHouse (kpi/lake.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime

from kinerja import fields
from kpi.brief import cli as brief_cli
from kpi.brief.render import RenderError
from kpi.notify import cli as notify_cli
from kpi.periods import PeriodError, week_monday
from kpi.settings import SettingsError
from kpi.warehouse import Warehouse, WarehouseError

BY = fields.cli_by()  # region, agency, category, district, village, channel, source


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="DuckDB file (default: $KINERJA_DB or data/kinerja.duckdb)")
    p.add_argument("--week", help="ISO week, e.g. 2015-W10")
    p.add_argument("--start", help="local start date YYYY-MM-DD (inclusive)")
    p.add_argument("--end", help="local end date YYYY-MM-DD (exclusive)")
    p.add_argument("--agency", help="agency_id to scope to")
    p.add_argument(
        "--region", help="region code (kode wilayah) to scope to; a province covers its kab/kota"
    )
    p.add_argument("--config", help="settings TOML file (overrides the city preset)")
    p.add_argument("--tz", help="time zone override, e.g. Asia/Makassar")
    p.add_argument("--country", help="holiday country override, e.g. ID or US")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kpi", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summary", help="every metric for one period as JSON")
    _common(s)
    s.add_argument("--as-of", dest="as_of", help="data as-of time, UTC (YYYY-MM-DD HH:MM:SS)")
    s.add_argument("--json", action="store_true", help="print one JSON object (the default)")
    w = sub.add_parser("weekly", help="metrics per ISO week as CSV")
    _common(w)
    w.add_argument("--by", choices=sorted(BY), help="one row per week and group")
    w.add_argument("--csv", action="store_true", help="print CSV (the default)")
    _common(brief_cli.add_parser(sub))
    _common(notify_cli.add_parser(sub))
    b = sub.add_parser("build", help="rebuild the KPI tables in the database file")
    b.add_argument("--db", help="DuckDB file (default: $KINERJA_DB or data/kinerja.duckdb)")
    x = sub.add_parser("export-lake", help="write the staged facts as Hive-partitioned Parquet")
    x.add_argument("dir", help="output folder (replaced)")
    x.add_argument("--db", help="DuckDB file (default: $KINERJA_DB or data/kinerja.duckdb)")
    return parser


def _build(db) -> dict:
    """Rebuild the KPI tables with the writer lock and the ETL's atomic replace."""
    from etl.store import atomic_db, writer_lock  # the one writer mechanism of the project
    from kinerja.paths import resolve_db
    from kpi.build import refresh

    path = resolve_db(db)
    if not path.is_file():
        raise WarehouseError(f"database not found: {path}")
    with writer_lock(path), atomic_db(path) as con:
        return refresh(con)


def _range(args) -> tuple:
    if args.week and (args.start or args.end):
        raise PeriodError("give either --week or --start/--end, not both")
    if args.week:
        week_monday(args.week)  # a clear error for anything but an ISO week label
        return args.week, None
    if args.command in ("brief", "notify"):
        raise PeriodError(f"{args.command} needs --week (e.g. 2026-W47)")
    if args.command == "summary" and not (args.start and args.end):
        raise PeriodError("give --week 2015-W10 or both --start and --end")
    return args.start, args.end


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in ("build", "export-lake"):
            if args.command == "build":
                out = _build(args.db)
            else:
                from kpi.lake import export_lake

                out = export_lake(args.db, args.dir)
            print(json.dumps(out, default=_json_default))
            return 0
        start, end = _range(args)
        wh = Warehouse.open(args.db, config=args.config, tz=args.tz, country=args.country)
        scope = {k: v for k, v in (("agency_id", args.agency), ("region", args.region)) if v}
        scope = scope or None
        if args.command == "brief":
            return brief_cli.run(wh, args, start)
        if args.command == "notify":
            return notify_cli.run(wh, args, start)
        if args.command == "summary":
            out = wh.summary(start, end, scope, args.as_of)
            print(json.dumps(out, default=_json_default, ensure_ascii=False))
        else:
            df = wh.weekly(start, end, BY.get(args.by), scope)
            df.to_csv(sys.stdout, index=False)
    except (WarehouseError, PeriodError, SettingsError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RenderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback: say what happened and that it is a bug
        print(f"error: unexpected {type(exc).__name__}: {exc} (a bug in Kinerja)", file=sys.stderr)
        return 3
    return 0
