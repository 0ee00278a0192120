"""Data and URL text shown as text: never read as Markdown by Streamlit, never as HTML by plotly.

Why one module: an agency named ``![b](http://x/p.png)`` or ``Dinas <a href=...>hubungi</a>``,
or a URL such as ``?agency=[Sesi habis](http://attacker/)``, must not become an image, a link or
a fetch anywhere in the app. Two escapers, each applied in one place:

- ``md(value)`` for everything Streamlit renders as Markdown (``st.markdown``/``caption``/
  ``warning``/``subheader``, labels, help): ``ui.i18n.t`` applies it to every value it fills
  into a catalogue string; a page that writes data text without ``t`` calls it itself.
  Backslash escapes stop CommonMark syntax (links, images, emphasis, HTML, code, tables, math,
  Streamlit's ``:color[...]`` directives). Streamlit also rewrites plain text after parsing:
  bare URLs and e-mail addresses become links, ``:name:`` becomes an emoji or an icon. A word
  joiner (U+2060, invisible) after ``:``, inside ``www.`` and before ``@`` stops those.
- ``plain(value)`` for plotly (axis categories, bar text, hover text, legend names): HTML
  entities, so plotly shows ``<a>`` or ``<b>`` literally. ``ui.charts`` applies it to the labels
  and texts its builders receive.

Both return marked strings (``Markdown``, ``Plain``) that are not escaped again, so text that
passes through two layers (a ``t()`` result filled into another ``t()``) stays readable.
"""

from __future__ import annotations

import html
import re

WORD_JOINER = "\u2060"
# CommonMark/GFM punctuation that can start syntax anywhere in a line, plus Streamlit's math ($).
_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~$&!])")
# At the start of a line: list markers and ordered-list numbers (only when a space follows, so
# "-3" or "+8%" stay as they are for st.metric, which reads a leading minus as a fall).
_LIST_START = re.compile(r"^([+-])(?=\s|$)")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_COLON = re.compile(r":(?=[A-Za-z_/+-])")
_WWW = re.compile(r"(?i)\b(www)\.")


class Markdown(str):
    """Text that is safe to render as Markdown (catalogue text, or data text passed through
    ``md``)."""


class Plain(str):
    """Text that is safe to give plotly (passed through ``plain``)."""


def md(value: object) -> Markdown:
    """``value`` as Markdown that renders exactly as its text (one line)."""
    if isinstance(value, Markdown):
        return value
    text = " ".join(str(value).split())  # a line break could start a heading, list or table
    text = _INLINE.sub(r"\\\1", text)
    text = _LIST_START.sub(r"\\\1", text)
    text = _ORDERED_START.sub(r"\1\\\2", text)
    text = _COLON.sub(":" + WORD_JOINER, text)
    text = _WWW.sub(r"\1" + WORD_JOINER + ".", text)
    text = text.replace("@", WORD_JOINER + "@")
    return Markdown(text)


def plain(value: object) -> Plain:
    """``value`` for a plotly label, hover or legend: tags shown as text, never rendered."""
    if isinstance(value, Plain):
        return value
    return Plain(html.escape(str(value), quote=False))
