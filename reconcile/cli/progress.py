"""A progress bar on stderr for runs long enough to wonder about.

`ProgressBar` is the `progress(stage, done, total)` callback that `pipeline.compare_sources`
(and `batch.run_cases`) accept. It draws nothing for a run that ends within `delay` seconds,
nothing when stderr is not a terminal, and nothing with `--quiet`; rich is imported only when
the bar is actually drawn, so short runs and `--version` never pay for it.
"""
from __future__ import annotations

import sys
import threading

STAGES = {
    "claims": "Reading claims",
    "align": "Aligning claims",
    "judge": "Judging",
    "cases": "Cases",
}


def wanted(quiet: bool, stream=None) -> bool:
    """Whether a progress bar may be drawn: not quiet, and stderr is a terminal."""
    stream = sys.stderr if stream is None else stream
    return not quiet and bool(getattr(stream, "isatty", lambda: False)())


class ProgressBar:
    """Call it with (stage, done, total); use it as a context manager around the run."""

    def __init__(self, enabled: bool, delay: float = 1.0, console=None):
        self.enabled = enabled
        self.delay = delay
        self._console = console
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._bar = None
        self._task = None
        self._state: tuple[str, int, int] | None = None
        self._closed = False

    def __enter__(self) -> "ProgressBar":
        if self.enabled:
            if self.delay <= 0:
                self._show()
            else:
                self._timer = threading.Timer(self.delay, self._show)
                self._timer.daemon = True
                self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            self._state = (stage, done, total)
            if self._bar is not None:
                self._update()

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._bar is not None:
                self._bar.stop()
                self._bar = None

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn)

        with self._lock:
            if self._closed or self._bar is not None:
                return
            console = self._console or Console(stderr=True)
            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
            self._task = self._bar.add_task(STAGES["claims"], total=None)
            self._bar.start()
            if self._state is not None:
                self._update()

    def _update(self) -> None:
        stage, done, total = self._state
        self._bar.update(self._task, description=STAGES.get(stage, stage), completed=done, total=total)
