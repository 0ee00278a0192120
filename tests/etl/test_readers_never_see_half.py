"""Readers are never blocked and never see half a load (copy + os.replace)."""

import threading

import duckdb

from etl.load import load_file


def _count(db) -> tuple[int, int]:
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    row = con.execute(
        "SELECT (SELECT count(*) FROM wh.complaints), (SELECT count(*) FROM wh.status_history)"
    ).fetchall()[0]
    con.close()
    return row


def _write_csv(path, start, n):
    lines = ["id,created_at,status,agency"]
    lines += [f"C{i},2025-01-01 08:00:00,open,Dinas {i % 7}" for i in range(start, start + n)]
    path.write_text("\n".join(lines) + "\n")


def test_reader_sees_old_or_new_never_half(db, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    _write_csv(first, 0, 20_000)
    _write_csv(second, 20_000, 60_000)
    load_file(first, db=db, source="generic")
    held = duckdb.connect()  # a reader attached before the load keeps working meanwhile
    held.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    seen, done = set(), threading.Event()

    def writer():
        try:
            load_file(second, db=db, source="generic")
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    while not done.is_set():
        seen.add(_count(db))
        assert held.execute("SELECT count(*) FROM wh.complaints").fetchall() == [(20_000,)]
    thread.join()
    seen.add(_count(db))
    assert seen <= {(20_000, 20_000), (80_000, 80_000)}
    assert (80_000, 80_000) in seen


def test_progress_bar_on_a_large_file(db, tmp_path, capsys):
    big = tmp_path / "big.csv"
    _write_csv(big, 0, 60_000)  # over 2 MB: the bar is shown when progress=True
    assert big.stat().st_size > 2_000_000
    s = load_file(big, db=db, source="generic", progress=True)
    assert (s.read, s.inserted) == (60_000, 60_000)
    assert capsys.readouterr().out == ""  # the bar never writes to stdout


def test_concurrent_writers_are_serialised(db, tmp_path):
    """Two loads started together both land: the writer lock prevents a lost update."""
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    _write_csv(files[0], 0, 5_000)
    _write_csv(files[1], 5_000, 5_000)
    threads = [
        threading.Thread(target=load_file, args=(f,), kwargs={"db": db, "source": "generic"})
        for f in files
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _count(db) == (10_000, 10_000)
