"""Operational views: agencies, dimension values, data freshness, load history, quarantine."""

from __future__ import annotations

import pandas as pd

from kinerja import fields
from kpi.build import RAW_COMPLAINT_OK as COMPLAINT_OK
from kpi.build import RAW_SERVICE_OK as SERVICE_OK
from kpi.queries import REGION_WHERE

DIMENSIONS = fields.dimension_columns("complaints")

FRESHNESS_SQL = f"""
WITH rows AS (
    SELECT source, count(*) AS n_rows,
        max(greatest(created_at, first_response_at, closed_at))
            FILTER (WHERE {COMPLAINT_OK}) AS data_as_of
    FROM wh.complaints x WHERE {REGION_WHERE} GROUP BY source
    UNION ALL
    SELECT source, count(*), max(greatest(submitted_at, completed_at)) FILTER (WHERE {SERVICE_OK})
    FROM wh.services x WHERE {REGION_WHERE} GROUP BY source
),
per_source AS (
    SELECT source, sum(n_rows) AS n_rows, max(data_as_of) AS data_as_of FROM rows GROUP BY source
),
loaded AS (
    SELECT source, max(finished_at) AS last_loaded_at FROM wh.loads
    WHERE outcome = 'loaded' AND {REGION_WHERE} GROUP BY source
)
SELECT p.source, l.last_loaded_at, p.data_as_of, p.n_rows
FROM per_source p LEFT JOIN loaded l USING (source)
ORDER BY p.source
"""


# The regions of the database with their complaint counts; grain: one row per region.
REGIONS_SQL = """
SELECT r.region_code, r.name, r.level, r.parent_code, r.timezone, r.tz_label, r.population,
    r.population_source, r.population_year, coalesce(n.n_complaints, 0) AS n_complaints
FROM wh.regions r
LEFT JOIN (SELECT region_code, count(*) AS n_complaints FROM wh.complaints GROUP BY region_code) n
    ON n.region_code = r.region_code
ORDER BY r.region_code
"""


class OpsMixin:
    """Methods of ``Warehouse`` that read the warehouse tables directly."""

    def agencies(self, region: str | None = None) -> pd.DataFrame:
        """agency_id, name, region_code of every agency (of the ``region`` scope), by name."""
        with self.lock:
            return self.con.execute(
                "SELECT agency_id, name, region_code FROM wh.agencies "
                f"WHERE {REGION_WHERE} ORDER BY name, agency_id",
                {"region": region},
            ).df()

    def regions(self) -> pd.DataFrame:
        """The regions of the database: region_code, name, level, parent_code, timezone,
        tz_label, population, population_source, population_year, n_complaints (by code)."""
        with self.lock:
            return self.con.execute(REGIONS_SQL).df()

    def dimension_values(self, dim: str, region: str | None = None) -> list[str]:
        """Distinct non-null values of a complaint dimension (in a region scope), sorted."""
        if dim not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dim!r} (allowed: {DIMENSIONS})")
        with self.lock:
            rows = self.con.execute(
                f"SELECT DISTINCT {dim} FROM c WHERE {dim} IS NOT NULL AND {REGION_WHERE} "
                "ORDER BY 1",
                {"region": region},
            ).fetchall()
        return [r[0] for r in rows]

    def freshness(self, region: str | None = None) -> pd.DataFrame:
        """Per source: last successful load, latest timestamp in its rows, row count (of
        ``region`` and below it; None: every region)."""
        window = {k: self.facts["window"][k] for k in ("lo", "hi")}
        with self.lock:
            return self.con.execute(FRESHNESS_SQL, window | {"region": region}).df()

    def load_history(self, limit: int = 50) -> pd.DataFrame:
        """The newest load attempts first."""
        # a period stored before the ETL bounded dates (year 1) is shown as unknown
        plausible = ", ".join(
            f"CASE WHEN {c} BETWEEN $lo AND $hi THEN {c} END AS {c}"
            for c in ("period_start", "period_end", "exported_at")
        )
        window = {k: self.facts["window"][k] for k in ("lo", "hi")}
        with self.lock:
            return self.con.execute(
                f"SELECT * REPLACE ({plausible}) FROM wh.loads "
                "ORDER BY started_at DESC NULLS LAST, load_id DESC LIMIT $limit",
                window | {"limit": limit},
            ).df()

    def quarantine_summary(self, region: str | None = None) -> pd.DataFrame:
        """Quarantined rows counted per source and reason (of ``region`` and below it)."""
        with self.lock:
            return self.con.execute(
                f"SELECT source, reason, count(*) AS n FROM wh.quarantine WHERE {REGION_WHERE} "
                "GROUP BY source, reason ORDER BY n DESC, source, reason",
                {"region": region},
            ).df()
