"""A missing or broken database gives a readable message with the fixing command, never a trace."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import page
from ui.escape import md

MY_PAGES = ["1_Ringkasan_Mingguan.py", "2_Rapor_OPD.py", "3_Backlog.py"]


@pytest.mark.parametrize("name", MY_PAGES)
def test_missing_database_explains_the_fix(name, tmp_path, monkeypatch):
    missing = tmp_path / "nothing.duckdb"
    monkeypatch.setenv("KINERJA_DB", str(missing))
    at = AppTest.from_file(page(name), default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == [f"Basis data belum ada: {md(missing)}"]
    assert "python -m etl demo" in [c.value for c in at.code]


@pytest.mark.parametrize("name", MY_PAGES)
def test_broken_database_explains_the_fix(name, tmp_path, monkeypatch):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a duckdb file" * 100)
    monkeypatch.setenv("KINERJA_DB", str(broken))
    at = AppTest.from_file(page(name), default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith(f"The database cannot be read: {md(broken)} (")
    assert "python -m etl demo" in [c.value for c in at.code]
