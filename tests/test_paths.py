from kinerja.paths import DEFAULT_DB, resolve_db


def test_resolve_db_order(monkeypatch, tmp_path):
    monkeypatch.delenv("KINERJA_DB", raising=False)
    assert resolve_db(None) == DEFAULT_DB
    monkeypatch.setenv("KINERJA_DB", str(tmp_path / "env.duckdb"))
    assert resolve_db(None) == tmp_path / "env.duckdb"
    assert resolve_db(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"
