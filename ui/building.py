"""The first run's progress message, while the demo city is built, in the reader's language.

``etl.demo.build_demo`` reports its steps as English lines for the command line (and names no
path a visitor should see); ``step()`` turns each known line into a catalogue text and a share
of the work done, and drops anything else rather than show English or a server path. A test
builds a demo through this function, so a changed ETL line fails loudly instead of vanishing.
"""

from __future__ import annotations

import re

from ui.i18n import t

_LOADING = re.compile(r"^Loading file (\d+)/(\d+)")
_STEPS = {
    "Generating the demo city": ("demo.generating", 0.02),
    "Writing raw export files": ("demo.writing", 0.1),
    "Demo city ready": ("layout.demo_ready", 1.0),
}


def step(message: str, lang: str | None = None) -> tuple[str, float] | None:
    """(text, share done 0..1) for a progress line of ``build_demo``; None for an unknown one."""
    m = _LOADING.match(message)
    if m:
        i, n = int(m.group(1)), int(m.group(2))
        return t("demo.loading", lang, i=i, n=n), 0.1 + 0.9 * (i - 1) / max(n, 1)
    for prefix, (key, done) in _STEPS.items():
        if message.startswith(prefix):
            return t(key, lang), done
    return None
