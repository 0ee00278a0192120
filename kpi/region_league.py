"""The region league: the kabupaten/kota of a province ranked by the agency score's rules.

Issue 11: a governor compares the 35 kab/kota of Jawa Tengah (and the provincial OPD, as one row)
on the same rules as agencies (``kpi.league``: rank on the rolling window of
``score.rank_window_weeks`` weeks, the week's own score beside it, at least ``min_obligations``
deadlines to be ranked, rank change on the previous week's league), with the week's volume per
10,000 residents (the region's population, with its source and year, from ``regions``). The
province's rules apply to every row ("same rules"), and the figures of each row are its own
region's complaints: a kab/kota row never includes the province's OPD, and the rows add up to
the province.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi import league as league_mod

COLUMNS = [
    "region_code",
    "region_name",
    "level",  # province (the provincial OPD's own row), kabupaten, kota
    *[c for c in league_mod.COLUMNS if c not in ("agency_id", "agency_name")],
    "received",  # in the week
    "population",
    "per_10k",  # received in the week per 10,000 residents
    "backlog",  # at the end of the week
    "overdue_backlog",
    "resolution_sla_compliance",  # in the week
    "response_sla_compliance",
]


@dataclass
class RegionLeague:
    """The region league of one week (``COLUMNS``, best first) and the province it covers."""

    week: str
    window: tuple[str, str]
    n_weeks: int
    parent: str
    regions: pd.DataFrame

    @property
    def n_ranked(self) -> int:
        return int(self.regions["is_ranked"].sum())


def build(wh, week: str, parent: str | None = None, as_of=None) -> RegionLeague:
    """The league of the regions directly under ``parent`` (default: the database's province)
    plus ``parent``'s own row; only regions with complaints in the database take part."""
    regions = wh.regions()
    parent = parent or default_parent(regions)
    if parent is None:
        raise ValueError("the database holds no province with kabupaten/kota")
    ranges, has_previous, window, n = wh._league_windows(week)
    df, _ = wh._metrics(ranges, "region_code", {"region": parent}, as_of)
    df = df.rename(columns={"grp": "agency_id"})  # kpi.league ranks rows keyed "agency_id"
    parts = [df[df["pid"] == i] for i in range(3)]
    info = regions.set_index("region_code")
    names = {c: str(info.at[c, "name"]) if c in info.index else c for c in df["agency_id"]}
    table = league_mod.build(
        parts[0], parts[1] if has_previous else None, parts[2], names, wh.settings
    )
    table = table.rename(columns={"agency_id": "region_code", "agency_name": "region_name"})
    week_rows = parts[2].set_index("agency_id")
    for col in ("received", "backlog", "overdue_backlog"):
        table[col] = table["region_code"].map(week_rows[col]).fillna(0).astype("int64")
    for col in ("resolution_sla_compliance", "response_sla_compliance"):
        table[col] = table["region_code"].map(week_rows[col]).astype("float64")
    table["level"] = table["region_code"].map(info["level"])
    table["population"] = table["region_code"].map(info["population"]).astype("Int64")
    table["per_10k"] = [
        r / p * 10_000 if pd.notna(p) and p else None
        for r, p in zip(table["received"], table["population"], strict=True)
    ]
    table["per_10k"] = table["per_10k"].astype("float64")
    return RegionLeague(week, window, n, parent, table[COLUMNS].reset_index(drop=True))


def default_parent(regions: pd.DataFrame) -> str | None:
    """The province whose kab/kota the database holds (the one with most complaints)."""
    kab = regions[regions["parent_code"].notna() & (regions["n_complaints"] > 0)]
    if kab.empty:
        return None
    return str(kab.groupby("parent_code")["n_complaints"].sum().idxmax())
