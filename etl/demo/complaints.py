"""Synthetic complaint life cycles: who complains where and when, and what each agency does.

One row per complaint with every event time in local time (numpy ``datetime64[s]``, NaT when it
never happens): received, disposed to an agency, reassigned, first response, first closing,
reopening, final closing. ``exports`` turns these into raw files as of any export time.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from etl.demo.calendar import WorkCalendar
from etl.demo.geo import Kelurahan, sample_points
from etl.demo.params import ROUTING, SKILL, DemoParams
from etl.demo.texts import fake_names, fake_phones, titles
from etl.demo.volume import channel_probabilities, choose, expected_counts

NAT = np.datetime64("NaT", "s")
REJECT_REASONS = ("spam", "duplicate", "not_authority")
CLASS_FACTOR = {"quick": 0.6, "normal": 1.0, "complex": 2.5}
CALENDAR_TIME_AGENCIES = ("damkar", "bpbd")  # on duty around the clock
RATED_SHARE_BY_CHANNEL = {
    "app": 1.35,
    "whatsapp": 1.2,
    "phone": 0.6,
    "x": 0.5,
    "instagram": 0.5,
    "facebook": 0.5,
    "lapor": 0.0,
}


def _route(
    rng, categories: np.ndarray, districts: np.ndarray, agencies: set[str], routing=None
) -> np.ndarray:
    routing = routing or ROUTING
    out = np.empty(len(categories), dtype=object)
    for cat in np.unique(categories):
        rows = np.flatnonzero(categories == cat)
        opts = [
            (k, w) for k, w in routing.get(cat, routing["Lainnya"]) if k == "@kec" or k in agencies
        ]
        keys = [k for k, _ in opts]
        w = np.array([w for _, w in opts])
        pick = rng.choice(len(keys), size=len(rows), p=w / w.sum())
        for j, r in zip(pick, rows, strict=True):
            out[r] = "kec:" + districts[r] if keys[j] == "@kec" else keys[j]
    return out


def _skill(agency: np.ndarray, key: str) -> np.ndarray:
    default = SKILL["default"][key]
    lookup = {a: SKILL.get(a, SKILL["default"])[key] for a in np.unique(agency)}
    return np.array([lookup.get(a, default) for a in agency])


def _times(cal: WorkCalendar, start: np.ndarray, wd: np.ndarray, agency: np.ndarray) -> np.ndarray:
    """Working-day delays on the office calendar; round-the-clock agencies use calendar days."""
    office = cal.add_working_days(start, wd)
    clock = start + (wd * 86400).astype(np.int64).astype("timedelta64[s]")
    return np.where(np.isin(agency, CALENDAR_TIME_AGENCIES), clock, office)


def generate_complaints(
    cal: WorkCalendar,
    first_day: dt.date,
    last_day: dt.date,
    city: dict,
    kelurahan: list[Kelurahan],
    agencies: set[str],
    params: DemoParams,
    seed: int,
) -> pd.DataFrame:
    """All complaints received from ``first_day`` to ``last_day`` (local dates, inclusive)."""
    rng = np.random.default_rng([seed, 1])
    districts = sorted({k.kecamatan for k in kelurahan})
    pop = city["districts"]["population"]
    low = set(city["districts"].get("low_lying", []))
    categories = list(city["sla"]["category_class"])
    first = (first_day - cal.start).days
    last = (last_day - cal.start).days + 1
    lam = expected_counts(cal, first, districts, pop, low, categories, params, rng)[: last - first]
    counts = rng.poisson(lam)
    d_idx, k_idx, c_idx = np.nonzero(counts)
    reps = counts[d_idx, k_idx, c_idx]
    d_idx, k_idx, c_idx = (np.repeat(a, reps) for a in (d_idx, k_idx, c_idx))
    n = len(d_idx)
    hour = rng.choice(24, size=n, p=np.array(params.hour_weights) / sum(params.hour_weights))
    secs = hour * 3600 + rng.integers(0, 3600, n)
    created = cal.days[first + d_idx].astype("datetime64[s]") + secs.astype("timedelta64[s]")
    order = np.argsort(created, kind="stable")
    d_idx, k_idx, c_idx, created = d_idx[order], k_idx[order], c_idx[order], created[order]
    df = pd.DataFrame(
        {
            "created_at": created,
            "district": np.array(districts, dtype=object)[k_idx],
            "category": np.array(categories, dtype=object)[c_idx],
        }
    )
    frac = d_idx / max(last - first - 1, 1)
    df["period_frac"] = frac
    _place(df, kelurahan, rng)
    channels = [
        c
        for c in params.channel_mix_start
        if c != "laporgub" or city["city"].get("province") == "Jawa Tengah"
    ]
    df["channel"] = np.array(channels, dtype=object)[
        choose(rng, channel_probabilities(params, channels, frac))
    ]
    df["title"] = titles(rng, df["category"].to_numpy(), df["village"].to_numpy())
    _lifecycle(df, cal, city, agencies, params, rng)
    _reporters(df, np.random.default_rng([seed, 3]))
    return df.reset_index(drop=True)


def _reporters(df: pd.DataFrame, rng: np.random.Generator) -> None:
    """Invented reporter names and phones; a few citizens also type their number in the title."""
    n = len(df)
    df["reporter_name"] = fake_names(rng, n)
    df["reporter_phone"] = fake_phones(rng, n)
    typed = rng.random(n) < 0.03
    df.loc[typed, "title"] = df.loc[typed, "title"] + ", hubungi " + df.loc[typed, "reporter_phone"]
    df["lapor_id"] = 5_100_000 + np.cumsum(rng.integers(1, 40, n))


def _place(df: pd.DataFrame, kelurahan: list[Kelurahan], rng: np.random.Generator) -> None:
    """Pick a kelurahan of each complaint's district (uneven weights) and a point inside it."""
    village = np.empty(len(df), dtype=object)
    lon, lat = np.zeros(len(df)), np.zeros(len(df))
    dist = df["district"].to_numpy()
    for d in sorted(set(dist)):
        kels = [k for k in kelurahan if k.kecamatan == d]
        rows = np.flatnonzero(dist == d)
        w = rng.dirichlet(np.full(len(kels), 2.0))
        pick = rng.choice(len(kels), size=len(rows), p=w)
        for j, kel in enumerate(kels):
            sel = rows[pick == j]
            if len(sel):
                pts = sample_points(kel, len(sel), rng)
                village[sel], lon[sel], lat[sel] = kel.name, pts[:, 0], pts[:, 1]
    df["village"], df["lon"], df["lat"] = village, lon, lat


def _reject_reasons(channel: np.ndarray, params: DemoParams, rng) -> np.ndarray:
    """'spam' | 'duplicate' | 'not_authority' | '' per complaint; social media draws more spam."""
    social = np.isin(channel, ["x", "instagram", "facebook"])
    u = rng.random(len(channel)) / np.where(social, params.social_spam_factor, 1.0)
    cum = np.cumsum([params.reject_share[r] for r in REJECT_REASONS])
    return np.where(
        u < cum[0],
        "spam",
        np.where(u < cum[1], "duplicate", np.where(u < cum[2], "not_authority", "")),
    )


def _dispose(cal, created, channel, reason, agency, agencies, params, rng) -> dict:
    """Disposition: LAPOR! rows never disposed, disposal time, wrong first agency, reassignment."""
    n = len(created)
    unassigned = (channel == "lapor") & (rng.random(n) < params.unassigned_share) & (reason == "")
    disposed = cal.add_working_days(created, 0.15 * np.exp(0.6 * rng.standard_normal(n)))
    reassigned = (rng.random(n) < params.reassign_share) & (reason == "")
    all_keys = np.array(sorted(agencies), dtype=object)
    first_agency = np.where(reassigned, all_keys[rng.integers(0, len(all_keys), n)], agency)
    reassigned &= first_agency != agency
    moved = cal.add_working_days(disposed, params.reassign_delay_days * rng.uniform(0.5, 1.5, n))
    return {
        "unassigned": unassigned,
        "disposed": disposed,
        "reassigned": reassigned,
        "first_agency": first_agency,
        "moved": moved,
    }


def _work(cal, df, agency, start_work, frac, classes: dict, params, rng) -> dict:
    """The agency's work: first response, closing, reopening and closing again, long tail.

    Delays are in working days, scaled by the agency's skill, the category's SLA class,
    Ramadan, the improving agency's reform and the slow agency's growing overload.
    """
    n = len(df)
    created = df["created_at"].to_numpy()
    ramadan = np.where(cal.is_ramadan[cal.day_offset(created)], params.ramadan_slowdown, 1.0)
    reform = 1 - (1 - params.improving_factor) / (1 + np.exp(-(frac - params.improving_at) * 25))
    improve = np.where(params.improving_everyone | (agency == params.improving_agency), reform, 1.0)
    sigma = _skill(agency, "sigma")
    slow = agency == params.slow_agency
    stuck_p = _skill(agency, "stuck") * params.skill_factor
    stuck_p = np.where(slow, stuck_p + (params.slow_stuck_end - stuck_p) * frac, stuck_p)
    stuck = rng.random(n) < stuck_p
    never_responded = stuck & (rng.random(n) < 0.3)
    wd_resp = _skill(agency, "respond") * np.exp(sigma * rng.standard_normal(n)) * ramadan * improve
    wd_resp = wd_resp * params.skill_factor
    first_resp = _times(cal, start_work, wd_resp, agency)
    factor = {c: CLASS_FACTOR[classes.get(c, "normal")] for c in df["category"].unique()}
    klass = df["category"].map(factor).to_numpy()
    growth = np.where(slow, 1 + (params.slow_resolve_growth - 1) * frac, 1.0)
    wd_res = _skill(agency, "resolve") * klass * growth * improve * ramadan * params.skill_factor
    wd_res = wd_res * np.exp(sigma * rng.standard_normal(n))
    wd_res = np.where(stuck, 80 * np.exp(0.8 * rng.standard_normal(n)), wd_res)
    closed1 = _times(cal, first_resp, wd_res, agency)
    never_closed = stuck & (rng.random(n) < 0.4)
    # Reopenings: the citizen reopens within days; the agency closes it again later.
    reopen = (rng.random(n) < params.reopen_share) & ~stuck
    reopen_n = np.where(reopen, np.where(rng.random(n) < 0.15, 2, 1), 0)
    reopened = closed1 + (rng.uniform(0.3, 4, n) * 86400).astype(np.int64).astype("timedelta64[s]")
    again = _times(cal, reopened, wd_res * rng.uniform(0.3, 1.0, n) * reopen_n, agency)
    return {
        "first_resp": first_resp,
        "closed1": closed1,
        "closed": np.where(reopen, again, closed1),
        "reopen": reopen,
        "reopen_n": reopen_n,
        "reopened": reopened,
        "never_responded": never_responded,
        "never_closed": never_closed,
    }


def _lifecycle(
    df: pd.DataFrame,
    cal: WorkCalendar,
    city: dict,
    agencies: set[str],
    params: DemoParams,
    rng: np.random.Generator,
) -> None:
    """Agency, rejection, response, resolution, reopening and rating for every complaint."""
    n = len(df)
    created = df["created_at"].to_numpy()
    channel = df["channel"].to_numpy()
    agency = _route(
        rng, df["category"].to_numpy(), df["district"].to_numpy(), agencies, params.routing
    )
    reason = _reject_reasons(channel, params, rng)
    d = _dispose(cal, created, channel, reason, agency, agencies, params, rng)
    start_work = np.where(d["reassigned"], d["moved"], d["disposed"])
    classes = city["sla"]["category_class"]
    w = _work(cal, df, agency, start_work, df["period_frac"].to_numpy(), classes, params, rng)
    # Rejections close quickly, by the admin (no agency) or by the agency (not its authority).
    rejected = reason != ""
    by_admin = rejected & (reason != "not_authority")
    rej_time = np.where(
        reason == "not_authority",
        w["first_resp"],
        cal.add_working_days(created, 0.3 * np.exp(0.5 * rng.standard_normal(n))),
    )
    unassigned = d["unassigned"]
    df["agency_key"] = np.where(by_admin | unassigned, None, agency)
    df["first_agency_key"] = np.where(d["reassigned"], d["first_agency"], df["agency_key"])
    df["reject_reason"] = np.where(rejected, reason, None)
    df["disposed_at"] = np.where(by_admin | unassigned, NAT, d["disposed"])
    df["reassigned_at"] = np.where(d["reassigned"] & ~rejected & ~unassigned, d["moved"], NAT)
    no_resp = w["never_responded"] | unassigned
    open_end = no_resp | w["never_closed"]
    df["first_response_at"] = np.where(rejected, rej_time, np.where(no_resp, NAT, w["first_resp"]))
    df["closed1_at"] = np.where(rejected, rej_time, np.where(open_end, NAT, w["closed1"]))
    df["reopened_at"] = np.where(w["reopen"] & ~rejected & ~no_resp, w["reopened"], NAT)
    df["closed_at"] = np.where(rejected, rej_time, np.where(open_end, NAT, w["closed"]))
    df["reopen_count"] = np.where(rejected | no_resp, 0, w["reopen_n"])
    _rate(df, params, rng)
    df["u"] = rng.random(n)  # per-row draw for cosmetic choices (raw status wording)


def _rate(df: pd.DataFrame, params: DemoParams, rng: np.random.Generator) -> None:
    """Citizen ratings (1-5) after resolution: faster and not reopened rate higher."""
    n = len(df)
    days = (df["closed_at"] - df["created_at"]).dt.total_seconds().to_numpy() / 86400
    share = params.rated_share * df["channel"].map(RATED_SHARE_BY_CHANNEL).fillna(1.0).to_numpy()
    rated = (rng.random(n) < share) & df["reject_reason"].isna().to_numpy() & ~np.isnan(days)
    score = 5.2 - 0.55 * np.log1p(np.nan_to_num(days)) - 1.2 * (df["reopen_count"] > 0)
    score = np.clip(np.round(score + 0.7 * rng.standard_normal(n)), 1, 5)
    df["satisfaction"] = pd.array(np.where(rated, score, np.nan)).astype("Int64")
