"""``python -m kinerja users add|list|disable|import FILE`` and ``python -m kinerja audit``.

Who may use the app is Kinerja's decision (``app_user``, deny by default): the identity provider
only says who someone is. Every change is recorded in the audit log with who made it (``--by``,
default ``cli:<login name>``). The tables live in ``<db>.access.sqlite`` beside the database
(``--db``, else ``$KINERJA_DB``, else ``data/kinerja.duckdb``).

Exit codes: 0 done; 2 unusable input (an e-mail, role, region, agency, a file: the message names
the row and column); 3 an unexpected error (a bug); 130 interrupted.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

from kinerja.access import ROLES
from kinerja.accessdb import (
    AUDIT_COLUMNS,
    EVENTS,
    AccessStore,
    UserError,
    audit_rows,
    cli_actor,
)

EXIT_UNUSABLE, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 2, 3, 130
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """``text`` for a terminal line: control characters shown as escapes."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kinerja", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", help="database file (default: $KINERJA_DB, else data/kinerja.duckdb)")
    by = argparse.ArgumentParser(add_help=False)
    by.add_argument("--by", help="who makes the change (default: cli:<login name>)")

    users = sub.add_parser("users", help="who may use the app: add, list, disable, import")
    act = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = act.add_parser("add", parents=[db, by], help="add a user or change one")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--region", metavar="CODE", help="kode wilayah, e.g. 33 or 33.74")
    add.add_argument("--agency", metavar="ID", help="an agency_head's agency, e.g. 33.74:dinas-pu")
    add.add_argument("--inactive", action="store_true", help="add the user disabled")
    lst = act.add_parser("list", parents=[db], help="every user")
    lst.add_argument("--json", action="store_true", help="print as JSON")
    dis = act.add_parser("disable", parents=[db, by], help="stop a user from signing in")
    dis.add_argument("email")
    imp = act.add_parser("import", parents=[db, by], help="add or change users from a CSV file")
    imp.add_argument("file", help="CSV: email,role,region,agency[,active] (comma or semicolon)")

    audit = sub.add_parser("audit", parents=[db], help="the audit log, newest first")
    audit.add_argument("--limit", type=int, default=100, metavar="N")
    audit.add_argument("--event", choices=EVENTS)
    audit.add_argument("--csv", action="store_true", help="print as CSV (for a spreadsheet)")
    return p


def _by(args) -> str:
    return args.by or cli_actor()


def _line(u) -> str:
    state = "active" if u.active else "disabled"
    where = u.agency or u.region or "every region"
    return (
        f"{u.email}  {u.role}  {where}  {state}  (changed by {u.changed_by} at {u.changed_at} UTC)"
    )


def users(args) -> int:
    store = AccessStore(args.db)
    if args.action == "add":
        u = store.put_user(
            args.email, args.role, args.region, args.agency, not args.inactive, _by(args)
        )
        print(safe(f"saved: {_line(u)}"))
    elif args.action == "disable":
        print(safe(f"disabled: {_line(store.disable(args.email, _by(args)))}"))
    elif args.action == "import":
        path = Path(args.file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError("unreadable", f"file {path}: cannot read it ({exc})") from None
        done = store.import_text(text, _by(args), name=path.name)
        print(safe(f"imported {len(done)} user(s) from {path.name}"))
    elif args.json:
        print(json.dumps([u.to_dict() for u in store.users()], indent=2))
    else:
        for u in store.users():
            print(safe(_line(u)))
    return 0


def audit(args) -> int:
    entries = AccessStore(args.db).audit(limit=args.limit, event=args.event)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(AUDIT_COLUMNS)
        writer.writerows(audit_rows(entries))
        return 0
    for e in entries:
        scope = e["agency"] or e["region"] or "-"
        print(
            safe(
                f"{e['at']}  {e['actor']}  {e['event']}  {e['outcome']}  {scope}  {json.dumps(e['detail'], ensure_ascii=False)}"
            )
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return users(args) if args.command == "users" else audit(args)
    except UserError as exc:
        print(f"error: {safe(exc)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("interrupted: nothing was changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"error: file {safe(exc.filename)}: {safe(exc.strerror or exc)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # never a traceback for a user
        print(
            f"error: unexpected {type(exc).__name__}: {safe(exc)} (this is a bug)", file=sys.stderr
        )
        return EXIT_UNEXPECTED
