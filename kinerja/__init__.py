"""Shared, dependency-free helpers used by etl/, kpi/ and the app (paths, database location)."""
