"""A load's stages: a rich progress bar (on stderr) for large files on a terminal, or the
caller's own indicator (a callable that gets each stage's name: the app's upload)."""

from __future__ import annotations

from pathlib import Path

PROGRESS_MIN_BYTES = 2_000_000


class Stages:
    """A rich progress bar (on stderr) over the load's stages: when asked and the file is large."""

    NAMES = ("reading", "mapping and validating", "writing")

    def __init__(self, progress, path: Path):
        big = path.is_file() and path.stat().st_size >= PROGRESS_MIN_BYTES
        self.report = progress if callable(progress) else None  # a caller's own indicator
        self.enabled = bool(progress) and big and self.report is None
        self.bar = self.task = None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("loading", total=len(self.NAMES))
        return self

    def step(self, name: str) -> None:
        if self.report is not None:
            self.report(name)
        if self.bar is not None:
            done = self.NAMES.index(name)
            self.bar.update(self.task, completed=done, description=name)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.update(self.task, completed=len(self.NAMES))
            self.bar.stop()
        return False
