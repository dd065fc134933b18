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

    def __init__(self, enabled: bool, delay: float = 1.0, console=None, refresh: float = 0.1):
        self.enabled = enabled
        self.delay = delay
        self.refresh = refresh
        self._console = console
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bar = None
        self._task = None
        self._state: tuple[str, int, int] | None = None
        self._closed = False

    def __enter__(self) -> "ProgressBar":
        if self.enabled:
            if self.delay <= 0:
                self._show()
            # One thread of our own shows and redraws the bar (rich's own refresh thread stays off):
            # it takes no lock a forked child needs, so the run may still fork its workers.
            from ..execution import tolerate

            self._thread = threading.Thread(target=self._run, name="reconcile progress", daemon=True)
            tolerate(self._thread)
            self._thread.start()
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
        self._stop.set()
        with self._lock:
            self._closed = True
            if self._bar is not None:
                self._bar.stop()
                self._bar = None
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        if self._stop.wait(max(self.delay, 0)):
            return
        self._show()
        while not self._stop.wait(self.refresh):
            with self._lock:
                if self._bar is not None:
                    self._bar.refresh()

    def _show(self) -> None:
        from ..execution import no_fork_meanwhile

        with no_fork_meanwhile():  # importing rich and setting up the terminal take locks a child could need
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                       TimeElapsedColumn)

            with self._lock:
                if self._closed or self._bar is not None:
                    return
                console = self._console or Console(stderr=True)
                self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True,
                                     auto_refresh=False, redirect_stdout=False)
                self._task = self._bar.add_task(STAGES["claims"], total=None)
                self._bar.start()
                if self._state is not None:
                    self._update()
                self._bar.refresh()

    def _update(self) -> None:
        stage, done, total = self._state
        self._bar.update(self._task, description=STAGES.get(stage, stage), completed=done, total=total)
