"""Derived views over the metric runner of ``kpi.warehouse``: scores, breakdowns, backlog
series and ages, what to fix first. Mixed into ``Warehouse``; the SQL is in ``kpi/models/marts``."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from kpi import league as league_mod
from kpi import ops, queries
from kpi.definitions import AGE_BUCKETS, COMPLAINT_METRICS, SERVICE_METRICS
from kpi.periods import iso_weeks, parse_as_of, resolve_range, week_label
from kpi.render import render
from kpi.score import rank, score, score_parts

# Complaints open at t with whether a deadline has passed; grain: one row per complaint
# (models/marts/open_complaints.sql, over the staged complaints ``c``).
OVERDUE_SQL = render("marts/open_complaints", "duckdb", lambda name: "c")


FIX_FIRST_COLUMNS = ["source", "complaint_id", "title", "category", "district", "created_at_local",
                     "due_at_local", "age_days", "days_overdue", "due_kind", "score_gain"]  # fmt: skip


class ViewsMixin(ops.OpsMixin):
    """Methods of ``Warehouse`` built on ``_metrics``."""

    def _age_buckets_dict(self, t, scope) -> dict:
        df = self.backlog_ages(t, None, scope)
        return {row.bucket: int(row.n) for row in df.itertuples()}

    def backlog_ages(self, t=None, by=None, scope=None) -> pd.DataFrame:
        """backlog(t) split by age in whole days (buckets of KPI.md); zero rows included."""
        t = parse_as_of(t) or self.facts["data_as_of"]
        cases = " ".join(
            f"WHEN age <= {hi} THEN '{name}'" if hi is not None else f"ELSE '{name}'"
            for name, _, hi in AGE_BUCKETS
        )
        got = self.engine.run(
            "marts/backlog_ages",
            {**self._scope_params(scope), "t": t},
            by=by,
            age_cases=lambda: cases,
        )
        groups = sorted(got["grp"].dropna().unique()) if by else ["all"]
        full = pd.DataFrame(
            [(g, name) for g in groups for name, _, _ in AGE_BUCKETS], columns=["grp", "bucket"]
        )
        out = full.merge(got, on=["grp", "bucket"], how="left")
        out["n"] = out["n"].fillna(0).astype("int64")
        out["grp"] = out["grp"].astype(object).where(out["grp"] != queries.NULL_GROUP, None)
        return out.rename(columns={"grp": by}) if by else out.drop(columns="grp")

    def backlog_series(self, start=None, end=None, scope=None) -> pd.DataFrame:
        """backlog and overdue_backlog at the end of each ISO week (week_end: next Monday)."""
        weekly = self.weekly(start, end, None, scope)
        return pd.DataFrame(
            {
                "week_end": weekly["week_start"] + timedelta(days=7),
                "backlog": weekly["backlog"],
                "overdue_backlog": weekly["overdue_backlog"],
            }
        )

    def breakdown(self, start, end=None, dim="agency_id", scope=None) -> pd.DataFrame:
        """One row per value of ``dim`` with every metric and the score, for one period."""
        lo, hi = resolve_range(start, end)
        df, _ = self._metrics([(lo, hi)], dim, scope)
        return df.drop(columns="pid").rename(columns={"grp": dim}).reset_index(drop=True)

    def agency_scores(self, start, end=None, as_of=None, scope=None) -> pd.DataFrame:
        """Score, status and rank per agency; rank only with ≥ min_obligations obligations.

        ``scope``: e.g. ``{"region": "33.74"}`` for the agencies of one region."""
        lo, hi = resolve_range(start, end)
        df, _ = self._metrics([(lo, hi)], "agency_id", scope, as_of)
        df = df.rename(columns={"grp": "agency_id", "score_status": "status"})
        names = self.agencies().rename(columns={"name": "agency_name"})
        df = df.merge(names, on="agency_id", how="left")
        df["agency_name"] = df["agency_name"].fillna(df["agency_id"])
        for m in self.settings.scored_metrics():
            df[f"{m.name}_attainment"] = [
                np.nan if part["attainment"] is None else part["attainment"]
                for row in df.to_dict("records")
                for part in score_parts(row, self.settings)
                if part["metric"] == m.name
            ]
        df = rank(df, self.settings)
        cols = ["agency_id", "agency_name", "score", "status", "rank", "is_ranked", "n_obligations"]
        for m in self.settings.scored_metrics():
            cols += [m.name, f"{m.name}_attainment"]
        df = df[cols].sort_values(
            ["is_ranked", "score", "agency_id"], ascending=[False, False, True]
        )
        return df.reset_index(drop=True)

    def league(self, week: str, as_of=None, region: str | None = None) -> league_mod.League:
        """The weekly league of ``week`` (kpi.league): rank on the rolling window of
        ``rank_window_weeks`` ISO weeks ending with it, the week's own score, the rank change on
        the previous week's league, and the undisposed complaints as their own line.

        ``region``: the agencies of that government only: a kab/kota's OPD, or a province's own
        OPD (its kab/kota are compared with each other by ``region_league``)."""
        ranges, has_previous, window, n = self._league_windows(week)
        scope = {"region": region} if region else None
        df, _ = self._metrics(ranges, "agency_id", scope, as_of)
        df = df.rename(columns={"grp": "agency_id"})
        if region:
            df = df[df["agency_id"].astype(str).str.startswith(f"{region}:")]
        parts = [df[df["pid"] == i] for i in range(3)]
        names = dict(self.agencies()[["agency_id", "name"]].itertuples(index=False))
        table = league_mod.build(
            parts[0], parts[1] if has_previous else None, parts[2], names, self.settings
        )
        mine = parts[2][parts[2]["agency_id"].map(league_mod.is_unassigned)]
        undisposed = {k: int(mine[k].sum()) for k in ("received", "backlog", "overdue_backlog")}
        return league_mod.League(week, window, n, table, undisposed)

    def _league_windows(self, week: str):
        """The league's three periods (window, previous week's window, the week), whether the
        data has a previous week, the window's first and last weeks, and its length."""
        n = self.settings.rank_window_weeks
        lo, hi = resolve_range(week, None)
        span = timedelta(days=7 * n)
        first = self.weeks()["week_start"].min()
        has_previous = first is not None and lo - timedelta(days=7) >= first
        ranges = [(hi - span, hi), (hi - span - timedelta(days=7), lo), (lo, hi)]
        return ranges, has_previous, (week_label(hi - span), week), n

    def region_league(self, week: str, parent: str | None = None, as_of=None):
        """The kab/kota of a province ranked like agencies (``kpi.region_league``)."""
        from kpi import region_league

        return region_league.build(self, week, parent, as_of)

    def score_breakdown(self, start, end=None, agency_id=None) -> pd.DataFrame:
        """The score's parts: value, target, attainment, weight (0 when left out), share of the
        score, and ``reason``: why a metric without a value is left out (a reason code)."""
        values = self.summary(start, end, {"agency_id": agency_id} if agency_id else None)
        parts = pd.DataFrame(score_parts(values, self.settings))
        parts["reason"] = [values["unavailable"].get(m) for m in parts["metric"]]
        return parts

    def fix_first(self, agency_id, as_of=None, limit=None) -> pd.DataFrame:
        """Overdue open complaints of an agency at ``as_of``, all of them (``limit``: the first
        n), ranked by how much resolving each lifts the score of the current week (the ISO week
        containing as_of), then by days overdue. ``due_at_local`` is the missed deadline the
        days overdue count from (the earlier one when both are missed), in local time.

        By KPI.md a late resolution never turns a missed deadline into a met one, so the gain
        is the effect on the clearance rate (closed + 1), equal for one agency's complaints.
        """
        t = parse_as_of(as_of) or self.facts["data_as_of"]
        if t is None:
            return pd.DataFrame(columns=FIX_FIRST_COLUMNS)
        week = iso_weeks(self._local_date(t), self._local_date(t) + timedelta(days=1))[0]
        scope = {"agency_id": agency_id}
        values = self.summary(week[0], week[1], scope, t)
        gain = _clearance_gain(values, self, week, scope, t)
        sql = OVERDUE_SQL.format(where=queries.SCOPE_WHERE)
        with self.lock:
            df = self.con.execute(sql, {**self._scope_params(scope), "t": t}).df()
        df = df[df["resolution_late"] | df["response_late"]].copy()
        due = df["res_due"].where(df["resolution_late"], df["resp_due"])
        due = due.where(~(df["response_late"] & (df["resp_due"] < due)), df["resp_due"])
        df["days_overdue"] = (pd.Timestamp(t) - due).dt.total_seconds() / 86400
        df["due_at_local"] = _local_naive(due, self.settings.timezone)
        df["due_kind"] = [
            "response+resolution" if a and b else ("resolution" if a else "response")
            for a, b in zip(df["resolution_late"], df["response_late"], strict=True)
        ]
        df["created_at_local"] = _local_naive(df["created_at"], self.settings.timezone)
        df["score_gain"] = gain
        df = df.sort_values(["score_gain", "days_overdue"], ascending=[False, False])
        df = df[FIX_FIRST_COLUMNS]
        return (df if limit is None else df.head(limit)).reset_index(drop=True)

    def movers(self, start, end=None, dim="category", n=5, scope=None) -> pd.DataFrame:
        """Values of ``dim`` whose received count changed most against the previous period."""
        lo, hi = resolve_range(start, end)
        prev = (lo - (hi - lo), lo)
        df, _ = self._metrics([prev, (lo, hi)], dim, scope)
        wide = df.pivot_table(index="grp", columns="pid", values="received", aggfunc="sum")
        wide = wide.reindex(columns=[0, 1], fill_value=0).fillna(0).astype("int64")
        out = pd.DataFrame(
            {dim: wide.index, "received": wide[1].values, "previous": wide[0].values}
        )
        out["change"] = out["received"] - out["previous"]
        out["pct_change"] = [
            (c / p if p else None) for c, p in zip(out["change"], out["previous"], strict=True)
        ]
        out = out.assign(_abs=out["change"].abs()).sort_values(
            ["_abs", dim], ascending=[False, True]
        )
        return out.drop(columns="_abs").head(n).reset_index(drop=True)

    def district_metrics(self, start, end=None, scope=None, dim="district") -> pd.DataFrame:
        """Per district: received, backlog, overdue backlog, SLA compliance, per 10k residents."""
        df = self.breakdown(start, end, dim, scope)
        cols = [dim, "received", "backlog", "overdue_backlog", "response_sla_compliance",
                "resolution_sla_compliance", "score"]  # fmt: skip
        df = df[cols].copy()
        pop = self.settings.district_population() if dim == "district" else {}
        df["population"] = df[dim].map(pop)
        df["per_10k"] = [
            (r / p * 10_000 if p == p and p else None)
            for r, p in zip(df["received"], df["population"], strict=True)
        ]
        return df

    def village_metrics(self, start, end=None, scope=None) -> pd.DataFrame:
        """Per village (kelurahan): the same columns as ``district_metrics``."""
        return self.district_metrics(start, end, scope, dim="village")

    def services_summary(self, start, end=None, scope=None) -> dict:
        """The services_* metrics of KPI.md for one period (None when missing)."""
        full = self.summary(start, end, scope)
        out = {k: full[k] for k in SERVICE_METRICS}
        out["unavailable"] = {k: v for k, v in full["unavailable"].items() if k in SERVICE_METRICS}
        out["period"], out["as_of"] = full["period"], full["as_of"]
        return out

    def services_breakdown(self, start, end=None, by="service_type", scope=None) -> pd.DataFrame:
        """Service metrics per service type, agency or region for one period."""
        if by not in ("service_type", "agency_id", "region_code"):
            raise ValueError("by must be 'service_type', 'agency_id' or 'region_code'")
        lo, hi = resolve_range(start, end)
        df = self._service_frame(by, scope, [(lo, hi)])
        df["grp"] = df["grp"].astype(object).where(df["grp"] != queries.NULL_GROUP, None)
        return df.drop(columns="pid").rename(columns={"grp": by}).reset_index(drop=True)

    def oldest_open(self, t=None, scope=None, limit=20) -> pd.DataFrame:
        """The oldest complaints open at t (default: the data's as-of)."""
        t = parse_as_of(t) or self.facts["data_as_of"]
        sql = OVERDUE_SQL.format(where=queries.SCOPE_WHERE) + " LIMIT $limit"  # oldest first
        with self.lock:
            df = self.con.execute(sql, {**self._scope_params(scope), "t": t, "limit": limit}).df()
        return df.rename(columns={"res_due": "resolution_due_at", "resolution_late": "is_overdue"})[
            [
                "source",
                "complaint_id",
                "title",
                "agency_id",
                "category",
                "district",
                "created_at",
                "age_days",
                "resolution_due_at",
                "is_overdue",
            ]  # fmt: skip
        ]


def _local_naive(utc: pd.Series, tz: str) -> pd.Series:
    """Naive-UTC timestamps as naive local wall times of ``tz``."""
    return pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None)


def _clearance_gain(values: dict, wh, week, scope, t) -> float | None:
    """Score change if one more complaint were resolved now (closed + 1)."""
    if values.get("score") is None and values.get("clearance_rate") is None:
        return None
    df, _ = wh._metrics([week], None, scope, t)
    denom = int(df["n_received_close_known"].iloc[0] or 0)
    if not denom:
        return 0.0
    after = dict(values)
    after["clearance_rate"] = (values["closed"] + 1) / denom
    before_score = score(values, wh.settings) or 0.0
    return round((score(after, wh.settings) or 0.0) - before_score, 4)


__all__ = ["ViewsMixin", "COMPLAINT_METRICS"]
