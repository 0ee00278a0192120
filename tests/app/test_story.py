"""Overview tiles and the week in words, from two KPI summaries (hand-written dicts)."""

from ui.story import escape_md, tiles, week_in_words

CUR = {
    "received": 1234,
    "closed": 1100,
    "response_sla_compliance": 0.912,
    "resolution_sla_compliance": 0.75,
    "backlog": 540,
    "overdue_backlog": 60,
    "score": 0.97,
    "score_status": "amber",
    "unavailable": {},
}
PREV = {
    "received": 1142,
    "closed": 1000,
    "response_sla_compliance": 0.90,
    "resolution_sla_compliance": 0.80,
    "backlog": 500,
    "overdue_backlog": 70,
    "score": 1.0,
    "score_status": "green",
    "unavailable": {},
}


def test_tiles_values_changes_and_colours():
    got = {x.key: (x.value, x.delta, x.delta_color) for x in tiles(CUR, PREV, "id")}
    assert got == {
        "received": ("1.234", "+92 (+8%)", "off"),
        "response_sla_compliance": ("91,2%", "+1,2 poin", "normal"),
        "resolution_sla_compliance": ("75,0%", "-5,0 poin", "normal"),
        "backlog": ("540", "+40 (+8%)", "inverse"),
        "overdue_backlog": ("60", "-10 (-14%)", "inverse"),
        "score": ("0,97", "-0,03", "normal"),
    }


def test_tiles_without_previous_week_or_value():
    cur = dict(CUR, response_sla_compliance=None, unavailable={"response_sla_compliance": "x"})
    got = {x.key: x for x in tiles(cur, None, "en")}
    assert got["received"].value == "1,234" and got["received"].delta is None
    assert got["response_sla_compliance"].value == "–"
    assert got["response_sla_compliance"].help == "unavailable: x"


def test_week_in_words_in_both_languages():
    text_id = week_in_words(CUR, PREV, "id", ("Banjir dan Genangan", 35), ("Dinas A", "Dinas B"))
    assert text_id.startswith("1.234 aduan masuk (+8% dibanding minggu lalu), 1.100 diselesaikan.")
    assert "Tunggakan naik menjadi 540 aduan, 60 di antaranya lewat tenggat." in text_id
    assert "Kenaikan terbesar: Banjir dan Genangan (+35 aduan)." in text_id
    assert "Skor kota 0,97 (⚠ Waspada)." in text_id
    text_en = week_in_words(CUR, PREV, "en")
    assert text_en.startswith(
        "1,234 complaints received (+8% on the previous week), 1,100 resolved."
    )
    assert "Response on time 91.2%, resolution on time 75.0%." in text_en


def test_data_names_are_inert_in_markdown():
    assert escape_md("a*b_[c](d)") == "a\\*b\\_\\[c\\](d)"
