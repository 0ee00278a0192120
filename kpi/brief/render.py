"""HTML → PDF with headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

Why Chromium (measured, README "The brief"): once the browser runs, ``page.pdf()`` prints a
brief faster than WeasyPrint and embeds subsetted fonts; launching it costs a few seconds, so
one browser lives in one worker thread for the whole process (the CLI's run, the app's server)
and every caller, from any thread, hands it pages through a queue. JavaScript is off and every
request is refused: the page is self-contained, and nothing is fetched from the network.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import threading
from concurrent.futures import Future

CHROMIUM = os.environ.get("KINERJA_CHROMIUM", "/usr/bin/chromium")
PDF_OPTIONS = {"format": "A4", "print_background": True, "prefer_css_page_size": True}


class RenderError(RuntimeError):
    """The browser could not be started or could not print the page."""


class ChromiumPdf:
    """One headless Chromium in a worker thread; ``pdf(html)`` is safe to call from any thread."""

    def __init__(self, executable: str = CHROMIUM):
        self.executable = executable
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.requests_blocked = 0

    def pdf(self, html: str, timeout: float = 120) -> bytes:
        """Print ``html`` (a complete document) to PDF bytes."""
        future: Future = Future()
        self._start()
        self._jobs.put((html, future))
        return future.result(timeout=timeout)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="kinerja-pdf", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=self.executable,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
                context = browser.new_context(java_script_enabled=False, offline=True)
                context.route("**/*", self._refuse)
                self._serve(context)
                browser.close()
        except Exception as exc:  # the browser did not start: fail every waiting job clearly
            self._fail_all(RenderError(f"cannot start Chromium ({self.executable}): {exc}"))

    def _refuse(self, route) -> None:
        self.requests_blocked += 1
        route.abort()

    def _serve(self, context) -> None:
        """One page, reused: replacing its content costs a third of opening a new page."""
        page = None
        while True:
            job = self._jobs.get()
            if job is None:
                return
            html, future = job
            try:
                page = page or context.new_page()
                page.set_content(html, wait_until="load")
                future.set_result(page.pdf(**PDF_OPTIONS))
            except Exception as exc:  # one bad page fails its caller only; start afresh
                future.set_exception(RenderError(f"printing failed: {exc}"))
                if page is not None:
                    with contextlib.suppress(Exception):
                        page.close()
                page = None

    def _fail_all(self, exc: Exception) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job[1].set_exception(exc)

    def close(self) -> None:
        """Stop the browser (waits for the jobs queued before)."""
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout=30)


_RENDERER: ChromiumPdf | None = None
_GUARD = threading.Lock()


def renderer() -> ChromiumPdf:
    """The process's one renderer (started on first use, stopped at exit)."""
    global _RENDERER
    with _GUARD:
        if _RENDERER is None:
            _RENDERER = ChromiumPdf()
            atexit.register(_RENDERER.close)
        return _RENDERER


def html_to_pdf(html: str) -> bytes:
    """Print one self-contained HTML document to PDF with the shared renderer."""
    return renderer().pdf(html)
