"""``python -m kpi notify``: deliver the week's briefs and alerts to every recipient, once.

    python -m kpi notify --week 2026-W47 [--region CODE] [--dry-run] [--recipients FILE]

One line per recipient and channel (``sent``, ``skipped``: already sent for that week,
``failed`` with the reason, or with --dry-run ``would send`` / ``already sent``). Exit codes:
0 all delivered (or nothing left to send), 1 some deliveries failed (rerun to retry them),
2 the run cannot start (no recipients, bad week or settings).
"""

from __future__ import annotations

import argparse


def add_parser(sub) -> argparse.ArgumentParser:
    n = sub.add_parser("notify", help="e-mail each recipient their brief and alerts (once a week)")
    n.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")
    n.add_argument("--recipients", help="recipients file (TOML or CSV) instead of the settings'")
    return n


def run(wh, args, week: str) -> int:
    from kpi.notify import NotifyError, notify
    from kpi.notify.recipients import RecipientsError

    if args.agency:
        raise ValueError("notify takes no --agency: recipients name their agency")
    try:
        out = notify(wh, week, args.region, args.dry_run, args.recipients)
    except (NotifyError, RecipientsError) as exc:
        raise ValueError(str(exc)) from exc
    if args.dry_run:
        print(f"dry run: {out.planned} to send, {out.skipped} already sent")
        return 0
    print(f"{out.sent} sent, {out.skipped} already sent, {out.failed} failed")
    return 1 if out.failed else 0
