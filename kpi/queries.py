"""Where the metric SQL lives: the model files of ``kpi/models`` (see kpi/render.py).

- ``staging/``: one row per complaint / application with effective deadlines, local dates and
  flags (built once per load by ``kpi.build``);
- ``intermediate/``: the events of each complaint and the daily grain that sums them;
- ``marts/``: the metrics of ../shared/KPI.md per period × group, the backlog's ages, the open
  complaints.

This module keeps the names the rest of the layer uses: the groupable columns (trusted column
names, never user text, derived from kinerja/fields.py), the scope filter (user values bound as
``$name`` parameters) and the stand-in for a NULL group.
"""

from __future__ import annotations

from kpi.render import (
    GROUPABLE,
    NULL_GROUP,
    REGION_WHERE,
    SCOPE_WHERE,
    SERVICE_GROUPABLE,
    SERVICE_SCOPE_WHERE,
)

__all__ = [
    "GROUPABLE",
    "NULL_GROUP",
    "REGION_WHERE",
    "SCOPE_WHERE",
    "SERVICE_GROUPABLE",
    "SERVICE_SCOPE_WHERE",
]
