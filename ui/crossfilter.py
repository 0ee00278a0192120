"""Cross-filtering for the Explore page: filters become a KPI ``scope``, a chart click a filter.

Why a module: the rules (a breakdown chart ignores its own dimension's filter so every bar stays
visible; clicking a bar sets that dimension's filter; clicking it again clears it) are plain
functions, tested without a browser. The page only wires them to widgets.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

# The complaint dimensions a KPI scope accepts (docs/ARCHITECTURE.md §4), in display order.
DIMS = ("agency_id", "category", "district", "channel")
ALL = ""  # the "all values" option of a filter


def filter_key(dim: str) -> str:
    """Session-state (and URL) key of the filter on ``dim``."""
    return f"x_{dim}"


def chart_key(dim: str) -> str:
    """Session-state key of the breakdown chart on ``dim`` (holds its selection)."""
    return f"x_chart_{dim}"


def scope_of(filters: Mapping[str, str | None], skip: str | None = None) -> dict | None:
    """The KPI scope for the chosen filters, leaving out ``skip``; None when nothing is chosen."""
    scope = {dim: value for dim, value in filters.items() if value and dim != skip}
    return scope or None


def selected_value(event: object) -> str | None:
    """The raw dimension value of the first selected bar of a plotly selection event.

    Bars carry their raw value (an ``agency_id``, not its display name) as ``customdata[0]``.
    Returns None when nothing is selected.
    """
    selection = _get(event, "selection")
    points = _get(selection, "points") or []
    if not points:
        return None
    custom = _get(points[0], "customdata")
    if isinstance(custom, list | tuple):
        custom = custom[0] if custom else None
    return None if custom is None else str(custom)


def apply_selection(state: MutableMapping, dim: str) -> None:
    """Chart callback: make the clicked bar the filter on ``dim`` (a second click clears it)."""
    value = selected_value(state.get(chart_key(dim)))
    if value is None:
        return
    key = filter_key(dim)
    state[key] = ALL if state.get(key) == value else value


def clear_filters(state: MutableMapping) -> None:
    """Button callback: every filter back to "all"."""
    for dim in DIMS:
        state[filter_key(dim)] = ALL


def _get(obj: object, name: str):
    """Attribute or key access (Streamlit returns attribute-dicts; tests pass plain dicts)."""
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)
