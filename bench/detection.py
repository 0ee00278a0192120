"""``python -m bench.detection``: how well the alerts find the demo's injected events.

The demo generator (``etl.demo``) injects known events; this replays every week of a demo
database through ``kpi.alerts.week_alerts`` and scores the alerts against them:

- **floods**: rainy-season storm days (``DemoParams.storm_day_probability``, reconstructed from
  the generator's own random stream) surge flood, drainage, road and tree complaints in the
  low-lying districts. A storm week is *found* when a spike alert names one of those categories
  in a low-lying district, in a channel or for the whole city that week. Each rainy season's
  onset is found when such an alert fires from October to December;
- **the slow agency** (``DemoParams.slow_agency``, ``disperkim``): weeks with a deteriorating
  alert for it, and the first;
- **the improving agency** (``dlh``): weeks with a deteriorating alert before and after its
  reform, and its league status and rank before and after;
- **quiet weeks**: weeks without a storm day, outside the rainy season (intensity < 0.2 all
  week) and outside Ramadan: every spike, deteriorating and stale alert counts (coming-due
  lists are not anomalies and are left out), with the two injected agencies shown apart.

Figures go to stdout as JSON and, with ``--write``, to bench/detection.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
FLOOD_CATEGORIES = ("Banjir dan Genangan", "Drainase dan Saluran", "Jalan Rusak", "Pohon dan Taman")


def storms(city: str, weeks: int, seed: int, end: dt.date) -> pd.DataFrame:
    """Per ISO week of the demo: storm days, peak rain intensity, Ramadan (the generator's own
    draws: ``expected_counts`` takes its storm days first from ``default_rng([seed, 1])``)."""
    from etl.demo.build import load_city
    from etl.demo.calendar import WorkCalendar
    from etl.demo.params import DemoParams
    from etl.demo.volume import rain_intensity

    params, cfg = DemoParams(), load_city(city)
    first_day = end - dt.timedelta(days=7 * weeks - 1)
    cal = WorkCalendar(first_day - dt.timedelta(days=7), end + dt.timedelta(days=3 * 366),
                       cfg["city"].get("country", "ID"))  # fmt: skip
    first, last = (first_day - cal.start).days, (end - cal.start).days + 1
    days = cal.days[first:]
    rain = rain_intensity(days, params)
    rng = np.random.default_rng([seed, 1])
    storm = (rng.random(len(days)) < params.storm_day_probability) & (rain > 0.2)
    n = last - first
    df = pd.DataFrame({"day": pd.to_datetime(days[:n]), "storm": storm[:n], "rain": rain[:n],
                       "ramadan": cal.is_ramadan[first:last]})  # fmt: skip
    df["week"] = [f"{y}-W{w:02d}" for y, w, _ in (d.isocalendar() for d in df["day"])]
    out = df.groupby("week").agg(storm=("storm", "sum"), rain=("rain", "max"),
                                 ramadan=("ramadan", "max"), monday=("day", "min"))  # fmt: skip
    out.attrs["low_lying"] = set(cfg["districts"].get("low_lying", []))
    return out


def _agency_id(wh, key: str) -> str | None:
    from etl.demo.params import CORE_AGENCIES

    names = wh.agencies()
    hit = names[names["name"] == CORE_AGENCIES[key][0]]
    return hit["agency_id"].iloc[0] if len(hit) else None


def run(db: Path, city: str, weeks: int, seed: int, end: dt.date, skip: int) -> dict:
    from etl.demo.params import DemoParams
    from kpi import Warehouse
    from kpi.alerts import week_alerts
    from kpi.alerts.agencies import window_scores
    from kpi.score import rank

    truth = storms(city, weeks, seed, end)
    low = truth.attrs["low_lying"]
    wh = Warehouse.open(db)
    p = DemoParams()
    slow, improving = _agency_id(wh, p.slow_agency), _agency_id(wh, p.improving_agency)
    labels = list(truth.index)[skip:]
    reform_week = list(truth.index)[int(len(truth) * p.improving_at)]
    rows, t0 = [], time.perf_counter()
    for week in labels:
        alerts = week_alerts(wh, week, families=("spike", "deteriorating", "stale"))
        league = rank(window_scores(wh, wh_ref(wh, week), 4, None), wh.settings)
        place = {r["agency_id"]: r for r in league.to_dict("records")}
        rows.append({"week": week, "alerts": alerts, "n_ranked": int(league["is_ranked"].sum()),
                     "place": {a: place.get(a, {}) for a in (slow, improving)}})  # fmt: skip
    seconds = time.perf_counter() - t0
    return score(rows, truth, low, slow, improving, reform_week, seconds)


def wh_ref(wh, week):
    from kpi.alerts import Scope

    return Scope(wh, None).week(week)


def _is_flood(a, low) -> bool:
    if a.family != "spike" or a.subject.get("category") not in FLOOD_CATEGORIES:
        return False
    return a.rule != "spike_district" or a.subject.get("district") in low


def score(rows, truth, low, slow, improving, reform_week, seconds) -> dict:
    """The detection figures (see the module docstring)."""
    by_week = {r["week"]: r for r in rows}
    storm_weeks = [w for w in by_week if truth.at[w, "storm"] > 0]
    found = [w for w in storm_weeks if any(_is_flood(a, low) for a in by_week[w]["alerts"])]
    seasons = {}
    for w, r in by_week.items():
        monday = truth.at[w, "monday"]
        if monday.month in (10, 11, 12):
            hit = any(_is_flood(a, low) for a in r["alerts"])
            seasons.setdefault(monday.year, []).append((w, hit))
    onsets = {y: next((w for w, hit in v if hit), None) for y, v in seasons.items()}

    def agency_weeks(agency, weeks):
        return [w for w in weeks if any(a.family == "deteriorating" and a.agency_id == agency
                                        for a in by_week[w]["alerts"])]  # fmt: skip

    before = [w for w in by_week if w < reform_week]
    after = [w for w in by_week if w >= reform_week]
    quiet = [w for w in by_week if truth.at[w, "storm"] == 0 and truth.at[w, "rain"] < 0.2
             and not truth.at[w, "ramadan"]]  # fmt: skip
    injected = {slow, improving}
    per_week = [sum(1 for a in by_week[w]["alerts"] if a.agency_id not in injected)
                for w in quiet]  # fmt: skip
    kinds = Counter(a.rule for w in quiet for a in by_week[w]["alerts"]
                    if a.agency_id not in injected)  # fmt: skip
    slow_weeks = agency_weeks(slow, list(by_week))

    def league(agency, weeks):
        places = [by_week[w]["place"][agency] for w in weeks]
        ranks = [p["rank"] for p in places if p.get("rank") is not None]
        return {"status": dict(Counter(p.get("score_status") for p in places)),
                "median_rank": statistics.median(ranks) if ranks else None,
                "n_ranked_median": statistics.median(by_week[w]["n_ranked"] for w in weeks)}  # fmt: skip

    return {
        "weeks_evaluated": len(rows),
        "seconds_per_week": round(seconds / max(len(rows), 1), 2),
        "floods": {
            "storm_weeks": len(storm_weeks),
            "storm_weeks_found": len(found),
            "found": found,
            "missed": [w for w in storm_weeks if w not in found],
            "season_onset_first_alert": onsets,
        },  # fmt: skip
        "slow_agency": {
            "agency_id": slow,
            "weeks_alerted": len(slow_weeks),
            "weeks": len(by_week),
            "first_alert": min(slow_weeks, default=None),
            "league": league(slow, list(by_week)),
        },  # fmt: skip
        "improving_agency": {
            "agency_id": improving,
            "reform_week": reform_week,
            "weeks_alerted_before": len(agency_weeks(improving, before)),
            "weeks_before": len(before),
            "weeks_alerted_after": len(agency_weeks(improving, after)),
            "weeks_after": len(after),
            "league_before": league(improving, before),
            "league_after": league(improving, after),
            "first_green": next(
                (w for w in after if by_week[w]["place"][improving].get("score_status") == "green"),
                None,
            ),  # fmt: skip
        },  # fmt: skip
        "quiet_weeks": {
            "weeks": len(quiet),
            "alerts": sum(per_week),
            "per_week_mean": round(sum(per_week) / max(len(quiet), 1), 2),
            "weeks_without_alert": sum(1 for n in per_week if n == 0),
            "max_in_a_week": max(per_week, default=0),
            "by_rule": dict(kinds),
            "by_agency": dict(
                Counter(
                    a.agency_id or a.region_code
                    for w in quiet
                    for a in by_week[w]["alerts"]
                    if a.agency_id not in injected
                ).most_common(8)
            ),
            "alerts_on_injected_agencies": sum(
                1 for w in quiet for a in by_week[w]["alerts"] if a.agency_id in injected
            ),  # fmt: skip
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.detection", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--db", type=Path, help="a demo database (default: build one in bench/out/)")
    ap.add_argument("--city", default="semarang")
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--end", default="2026-11-22", help="the demo's last day (a Sunday)")
    ap.add_argument("--skip", type=int, default=9, help="first weeks left out (no baseline yet)")
    ap.add_argument("--write", action="store_true", help="write bench/detection.json")
    args = ap.parse_args(argv)
    end = dt.date.fromisoformat(args.end)
    db = args.db
    if db is None:
        from etl.demo import build_demo

        db = HERE / "out" / f"demo_{args.city}_{args.weeks}_{args.seed}.duckdb"
        if not db.exists():
            build_demo(db=db, city=args.city, weeks=args.weeks, seed=args.seed, end=end)
    out = run(db, args.city, args.weeks, args.seed, end, args.skip)
    text = json.dumps(out, indent=1, default=str)
    print(text)
    if args.write:
        (HERE / "detection.json").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
