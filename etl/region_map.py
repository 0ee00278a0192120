"""Which region each row of a load belongs to (issue 11).

A load has a default region: ``--region``, else the mapping's ``default_region``, else the
database's home region (``etl.migrate.home_region``). Where the file itself says the region (a
mapping's ``[columns] region``: SP4N-LAPOR! "Instansi Induk", a provincial channel's disposition
column), each distinct value is matched once to a region code, by code or by name
(``kinerja.regions.region_key``: "Pemerintah Kabupaten Demak" = "KAB. DEMAK"), first exactly and
then as the longest region name contained in it ("Dinas PU Kabupaten Demak" -> Demak). An empty
cell takes the default; a value that names no known region quarantines the row
(``unknown_region``), so no complaint is counted in the wrong region.
"""

from __future__ import annotations

from etl.errors import LoadError
from etl.migrate import ensure_regions, home_region
from kinerja import regions
from kinerja.regions import Region


def known_regions(con) -> dict[str, Region]:
    """The registry (config presets) plus the regions already in the database."""
    out = {
        r[0]: Region(*r, preset=None)
        for r in con.execute(
            "SELECT region_code, name, level, parent_code, timezone, tz_label, population, "
            "population_source, population_year FROM regions"
        ).fetchall()
    }
    out.update(regions.registry())
    return out


def load_region(con, given: str | None, mapping, file: str) -> Region:
    """The default region of a load; LoadError for a code no preset or database knows."""
    code = given or mapping.default_region
    if not code:
        return home_region(con)
    found = known_regions(con).get(code.strip())
    if found is None:
        known = ", ".join(sorted(known_regions(con)))
        raise LoadError(
            f"unknown region code {code!r} (kode wilayah, e.g. 33.74); known: {known}. "
            "Add the region to a settings preset in config/cities/",
            file=file,
        )
    return found


def match(value: str, table: list[tuple[str, str]]) -> str | None:
    """The region code a text names: exact key, else the longest known name inside it."""
    key = regions.region_key(value)
    if not key:
        return None
    exact = dict(table)
    if key in exact:
        return exact[key]
    padded = f" {key} "
    inside = [(name, code) for name, code in table if " " in name and f" {name} " in padded]
    return max(inside, key=lambda nc: len(nc[0]))[1] if inside else None


def assign(con, default: Region, column: str | None) -> dict[str, int]:
    """Add ``staged.region_code``; mark rows whose region column names no region.

    Returns {region code: rows} of the valid rows. The caller quarantines ``unknown_region``
    rows with their raw records (``etl.transform.fill_raw``).
    """
    known = known_regions(con)
    table = regions.lookup_table(known)
    values = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT region_raw FROM staged WHERE region_raw IS NOT NULL"
        ).fetchall()
    ]
    pairs = [(v, match(v, table)) for v in values]
    con.execute("CREATE OR REPLACE TEMP TABLE _region_map (raw VARCHAR, code VARCHAR)")
    if pairs:
        con.executemany("INSERT INTO _region_map VALUES (?, ?)", pairs)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE staged AS
        SELECT s.*, CASE WHEN s.region_raw IS NULL THEN $d ELSE m.code END AS region_code
        FROM staged s LEFT JOIN _region_map m ON m.raw = s.region_raw""",
        {"d": default.code},
    )
    con.execute(
        """UPDATE staged SET reason = 'unknown_region', reason_column = $col,
            detail = kj_mask('value ' || region_raw || ' names no known region (config/cities/)')
        WHERE reason IS NULL AND region_code IS NULL""",
        {"col": column},
    )
    used = dict(
        con.execute(
            "SELECT region_code, count(*) FROM staged WHERE reason IS NULL GROUP BY 1"
        ).fetchall()
    )
    ensure_regions(con, [default] + [known[c] for c in used if c in known])
    return used
