"""Shared helpers of pages 4-7 (ui/pagekit.py) that need no Streamlit session."""

from ui.pagekit import plain


def test_plain_makes_markup_literal_for_plotly():
    assert plain("<b>Jalan</b> & <a href='x'>Rusak</a>") == (
        "&lt;b&gt;Jalan&lt;/b&gt; &amp; &lt;a href='x'&gt;Rusak&lt;/a&gt;"
    )
    assert plain("Sampah dan Kebersihan") == "Sampah dan Kebersihan"
    assert plain(None) == "None"
