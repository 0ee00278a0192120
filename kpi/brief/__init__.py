"""The Monday brief: one week of a region or an agency as an A4 page (HTML, PDF).

``brief(wh, week, region=..., agency=..., lang=..., fmt=...)`` returns the document's bytes;
``WeekContext`` (``kpi.brief.data``) shares one week's region figures between many briefs.
Rendering: ``kpi.brief.html`` / ``kpi.brief.agency`` (HTML from the KPI layer's figures),
``kpi.brief.render`` (Chromium prints it).
"""

from __future__ import annotations

from kpi.brief.data import WeekContext

FORMATS = ("pdf", "html")


def brief_html(ctx: WeekContext, agency: str | None = None, lang: str = "id") -> str:
    """The HTML of the region brief (``agency`` None) or of one agency's brief."""
    if agency:
        from kpi.brief.agency import agency_html

        return agency_html(ctx, agency, lang)
    from kpi.brief.html import region_html

    return region_html(ctx, lang)


def brief(wh, week: str, region: str | None = None, agency: str | None = None, lang: str = "id",
          fmt: str = "pdf", ctx: WeekContext | None = None) -> bytes:  # fmt: skip
    """One brief as bytes (``fmt``: pdf or html). An agency brief's league is its region's."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be id or en, not {lang!r}")
    if ctx is None:
        if agency and not region:
            resolved = wh.resolve_agency(agency) or agency
            region = resolved.split(":", 1)[0] if ":" in resolved else None
        ctx = WeekContext(wh, week, region)
    html = brief_html(ctx, agency, lang)
    if fmt == "html":
        return html.encode("utf-8")
    from kpi.brief.render import html_to_pdf

    return html_to_pdf(html)


__all__ = ["FORMATS", "WeekContext", "brief", "brief_html"]
