"""``python -m etl``: load files, show what is loaded, list sources, build a demo, forget data.

Commands: load, status, migrate, sources, demo, forget (a complaint's data on request, or old
raw records), remask (apply today's masking to a database built by an older version).

Exit codes: 0 done; 2 the input cannot be used: a file, mapping, database path or argument
(nothing changed); 3 an unexpected error (a bug: please report it); 130 interrupted (Ctrl-C;
nothing changed). Errors print one line naming the file (and row/column where known), never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from etl.errors import LoadError, safe, safe_json
from kinerja.paths import resolve_db, resolve_demo_db, resolve_read_db

EXIT_UNUSABLE, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 2, 3, 130


def _count(text: str) -> int:
    """A non-negative whole number (``--rows``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db_help = "database file (default: $KINERJA_DB, else data/kinerja.duckdb)"
    read_help = (
        "database file (default: $KINERJA_DB, else data/kinerja.duckdb if it exists, "
        "else the demo data/demo.duckdb)"
    )
    demo_help = "database file for the demo (default: $KINERJA_DB, else data/demo.duckdb)"

    load = sub.add_parser(
        "load",
        help="load one export file into the database",
        description="Load one export file atomically; prints a summary.",
    )
    load.add_argument("path", help="the export file (CSV, XLSX, JSON, XML or Parquet)")
    how = load.add_mutually_exclusive_group(required=True)
    how.add_argument("--source", help="a built-in mapping (see: python -m etl sources)")
    how.add_argument("--mapping", help="your own mapping TOML file")
    load.add_argument("--db", help=db_help)
    load.add_argument("--tz", help="the file's time zone, overriding the mapping's (IANA name)")
    load.add_argument(
        "--region",
        metavar="CODE",
        help="region (kode wilayah, e.g. 33.74) of rows whose region the file does not say "
        "(default: the mapping's, else the database's home region)",
    )
    load.add_argument("--exported-at", help="the export's time, ISO 8601 (default: from file)")
    load.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    status = sub.add_parser(
        "status",
        help="what is loaded, from where, when; quarantined rows",
        description="Loads, rows per source, quarantine by reason.",
    )
    status.add_argument("--db", help=read_help)
    status.add_argument("--json", action="store_true", help="print as JSON")
    status.add_argument(
        "--rows",
        type=_count,
        default=0,
        metavar="N",
        help="also list the latest N quarantined rows",
    )

    migrate = sub.add_parser(
        "migrate",
        help="upgrade a database written by an older Kinerja (keeps every row)",
        description="Upgrade the database's schema in place, atomically (see etl/migrate.py).",
    )
    migrate.add_argument("--db", help=db_help)

    sub.add_parser(
        "sources",
        help="the built-in mappings and what each expects",
        description="List the built-in source mappings.",
    )

    demo = sub.add_parser(
        "demo",
        help="build the demo city database",
        description="Generate a demo city's exports and load them.",
    )
    demo.add_argument("--city", default="semarang", choices=["semarang", "bontang"])
    demo.add_argument(
        "--province",
        choices=["jateng"],
        help="build a province instead: Jawa Tengah's 35 kab/kota and LaporGub! (52 weeks)",
    )
    demo.add_argument(
        "--weeks", type=int, help="weeks of history (default 104 for a city, 52 for a province)"
    )
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument("--db", help=demo_help)

    forget = sub.add_parser(
        "forget",
        help="delete a complaint's data on request, or old quarantined raw records",
        description="Delete every stored trace of one complaint or service application "
        "(atomically; later loads skip it), or clear the raw records of rows quarantined "
        "before a date.",
    )
    what = forget.add_mutually_exclusive_group(required=True)
    what.add_argument("--id", help="the complaint's (or service application's) id in its source")
    what.add_argument(
        "--raw-before",
        metavar="DATE",
        help="clear raw records of rows quarantined by loads before DATE (YYYY-MM-DD)",
    )
    forget.add_argument("--source", help="the source the id belongs to (with --id)")
    forget.add_argument(
        "--region", help="only in this region (kode wilayah, e.g. 33.74); default: every region"
    )
    forget.add_argument("--db", help=db_help)
    forget.add_argument("--json", action="store_true", help="print what was removed as JSON")

    remask = sub.add_parser(
        "remask",
        help="mask personal data a database built by an older version stored",
        description="Apply today's masking to every stored text field and raw record (atomically).",
    )
    remask.add_argument("--db", help=db_help)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LoadError as exc:
        print(f"error: {safe(str(exc))}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as exc:  # e.g. etl status on an unreadable file: the environment, not a bug
        print(f"error: file {safe(exc.filename)}: {safe(exc.strerror or exc)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        what = f"the load of {args.path}" if args.command == "load" else f"etl {args.command}"
        print(f"interrupted: {safe(what)} was stopped; the database is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # never show a traceback to a user
        print(
            f"error: unexpected {type(exc).__name__}: {safe(str(exc))} (this is a bug in "
            "Kinerja; nothing was changed)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def cmd_load(args) -> int:
    from etl.load import load_file
    from etl.report import summary_lines
    from kinerja.accessdb import cli_actor

    summary = load_file(
        args.path,
        db=args.db,
        source=args.source,
        mapping=args.mapping,
        exported_at=args.exported_at,
        timezone=args.tz,
        region=args.region,
        progress=not args.json and sys.stderr.isatty(),
        loaded_by=cli_actor(),
    )
    if args.json:
        print(safe_json(json.dumps(summary.to_dict(), ensure_ascii=False)))
    else:
        print("\n".join(summary_lines(summary)))
    return 0


def cmd_status(args) -> int:
    import duckdb

    from etl.report import status_data, status_lines
    from etl.store import check_database, clean_leftovers, try_writer_lock

    db = resolve_read_db(args.db)
    if not db.exists():
        raise LoadError("no database yet; load a file first (python -m etl load ...)", file=str(db))
    check_database(db)
    with try_writer_lock(db) as locked:
        left = clean_leftovers(db, locked=locked)
    try:
        data = status_data(db, args.rows)
    except duckdb.CatalogException:
        raise LoadError("not a Kinerja database (no warehouse tables)", file=str(db)) from None
    data["leftovers"] = {"removed": left.paths, "n_bytes": left.n_bytes}
    if args.json:
        print(safe_json(json.dumps(data, default=str, ensure_ascii=False)))
    else:
        print("\n".join(status_lines(data, left.message())))
    return 0


def cmd_migrate(args) -> int:
    from etl.migrate import SCHEMA_VERSION, migrate_file

    db = resolve_db(args.db)
    if not db.exists():
        raise LoadError("no database to migrate", file=str(db))
    done = migrate_file(db)
    print("\n".join(done) if done else f"{db}: already at schema version {SCHEMA_VERSION}")
    return 0


def cmd_sources(args) -> int:
    from etl.report import sources_lines

    print("\n".join(sources_lines()))
    return 0


def cmd_demo(args) -> int:
    from etl.demo import build_demo  # owned by the demo engineer; imported only when used

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    db = resolve_demo_db(args.db)
    try:
        if args.province:
            from etl.demo.province_build import build_province

            weeks = args.weeks or 52
            result = build_province(db, args.province, weeks, args.seed, progress=say)
            what = f"province demo {args.province}"
        else:
            weeks = args.weeks or 104
            result = build_demo(db=db, city=args.city, weeks=weeks, seed=args.seed, progress=say)
            what = f"demo city {args.city}"
    except ValueError as exc:  # e.g. the target holds real data
        raise LoadError(str(exc), file=str(db)) from None
    shown = ("n_regions", "n_complaints", "n_services", "n_files", "first_day", "end")
    details = ", ".join(f"{k} {result[k]}" for k in shown if k in result)
    print(f"{what} built in {db}: {details} ({result['seconds']['total']} s)")
    return 0


def cmd_forget(args) -> int:
    from datetime import date

    from etl.forget import forget, forget_raw

    db = resolve_db(args.db)
    if args.raw_before:
        try:
            before = date.fromisoformat(args.raw_before)
        except ValueError:
            raise LoadError(
                f"--raw-before {args.raw_before!r} is not a date (YYYY-MM-DD)"
            ) from None
        n = forget_raw(db, before)
        print(json.dumps({"raw_cleared": n}) if args.json else f"cleared {n:,} raw records")
        return 0
    if not args.source:
        raise LoadError("--id needs --source (the source the id belongs to)")
    out = forget(db, args.source, args.id, args.region)
    if args.json:
        print(safe_json(json.dumps(out.to_dict(), ensure_ascii=False)))
    else:
        print(
            f"forgot {safe(args.source)} {safe(repr(args.id))} in {safe(db)}: "
            f"{out.complaints} complaint(s) with "
            f"{out.status_history} status change(s), {out.services} service application(s), "
            f"{out.quarantine} quarantined row(s); later loads skip it (reason 'forgotten')"
        )
    return 0


def cmd_remask(args) -> int:
    from etl.remask import remask

    db = resolve_db(args.db)
    changed = remask(db)
    parts = ", ".join(f"{t} {n:,}" for t, n in sorted(changed.items()) if n) or "nothing"
    print(f"remasked {safe(db)}: values changed per table: {parts}")
    return 0


COMMANDS = {
    "load": cmd_load,
    "status": cmd_status,
    "migrate": cmd_migrate,
    "sources": cmd_sources,
    "demo": cmd_demo,
    "forget": cmd_forget,
    "remask": cmd_remask,
}
