"""Kinerja's metric layer: every KPI of docs/KPI.md, computed in DuckDB (see ARCHITECTURE §4)."""

from kpi.settings import Settings, load_settings
from kpi.warehouse import Warehouse, WarehouseError

__all__ = ["Settings", "Warehouse", "WarehouseError", "load_settings"]
