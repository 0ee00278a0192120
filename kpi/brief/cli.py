"""``python -m kpi brief``: write the week's brief of a region, of one agency or of every agency.

    python -m kpi brief --week 2026-W47 [--region CODE] [--agency ID | --all-agencies]
                        [--lang id|en] --out DIR [--format pdf|html]

Files: ``DIR/brief_<week>_<region>_<lang>.<fmt>`` and ``DIR/brief_<week>_<agency id>_<lang>.<fmt>``
(``:`` of an agency id written as ``_``). One line per file on stdout; errors on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from kpi.alerts import is_unassigned


def add_parser(sub) -> argparse.ArgumentParser:
    b = sub.add_parser("brief", help="the week's brief (region or agency) as PDF or HTML")
    b.add_argument("--all-agencies", action="store_true", help="a brief for every agency")
    b.add_argument("--lang", choices=["id", "en"], default="id")
    b.add_argument("--out", required=True, help="folder to write the files into")
    b.add_argument("--format", choices=["pdf", "html"], default="pdf", dest="fmt")
    return b


def file_name(week: str, who: str, lang: str, fmt: str) -> str:
    """``brief_2026-W47_33.74_dinas-pu_id.pdf``: safe on every file system."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", who)
    return f"brief_{week}_{safe}_{lang}.{fmt}"


def agencies_of(wh, region: str | None) -> list[str]:
    """Every agency of the region (all of the database without one), undisposed ones left out."""
    ids = list(wh.agencies()["agency_id"])
    if region:
        ids = [a for a in ids if a.split(":", 1)[0] == region
               or a.split(":", 1)[0].startswith(region + ".")]  # fmt: skip
    return sorted(a for a in ids if not is_unassigned(a))


def run(wh, args, week: str) -> int:
    """Write the briefs asked for; returns the process exit code."""
    from kpi.brief import WeekContext, brief

    if args.agency and args.all_agencies:
        raise ValueError("give either --agency or --all-agencies, not both")
    region = args.region
    if region:
        from kinerja import regions

        if regions.get(region) is None:
            raise ValueError(f"unknown region: {region!r} (a Kemendagri code, e.g. 33.74)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.agency:
        resolved = wh.resolve_agency(args.agency)
        if resolved is None:
            raise ValueError(f"unknown agency: {args.agency!r} (see `python -m etl status`)")
        region = region or resolved.split(":", 1)[0]
        targets = [resolved]
    else:
        targets = agencies_of(wh, region) if args.all_agencies else [None]
    ctx = WeekContext(wh, week, region)
    t0 = time.perf_counter()
    for agency in targets:
        started = time.perf_counter()
        data = brief(wh, week, region, agency, args.lang, args.fmt, ctx=ctx)
        who = agency or region or wh.settings.region_code or "all"
        path = out / file_name(ctx.ref.label, who, args.lang, args.fmt)
        path.write_bytes(data)
        print(f"{path}  ({len(data):,} bytes, {time.perf_counter() - started:.2f} s)")
    if len(targets) > 1:
        print(f"{len(targets)} briefs in {time.perf_counter() - t0:.1f} s")
    return 0
