"""Batch: compare many cases, one JSON report per case.

A case is whatever `compare` takes as one argument that names a whole comparison: a directory
of articles, or a case manifest (`case.yaml`). `run_cases` compares them in this process, in
worker processes (`jobs`), or as tasks on a Dask cluster (`dask_address`, with the optional
`reconcile[dask]` extra), and yields one result per case, in the order the cases were given:

    {"case": "events/flood", "ok": true, "report": {...the JSON report...}}
    {"case": "events/typo.yaml", "ok": false, "error": "events/typo.yaml: line 3: ..."}

A case that fails (unreadable, fewer than two sources, even a bug) gives a result with its
error and does not stop the others.
"""
from __future__ import annotations

import json
from typing import Callable, Iterable, Iterator

from .errors import ReconcileError

Progress = Callable[[str, int, int], None]


def run_case(case: str, dates: tuple[tuple[str, str], ...] = (), explain: bool = False, trust=None,
             keep_reprints: bool = False) -> dict:
    """Compare one case; a failure is returned as {"ok": false, "error": ...}, never raised.

    Warnings about the case's sources (a file named twice, ...) go into the result's "warnings".
    `trust` (an ingest.Trust) says how far a manifest may reach.
    """
    import warnings

    from .ingest import SourceWarning, Trust
    from .pipeline import Config, compare_sources, to_sources

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SourceWarning)
        try:
            sources = to_sources([case], trust=trust or Trust())
            # One process per case: the batch runs cases side by side, not a case's sources.
            report = compare_sources(sources, Config(dates=tuple(dates), jobs=1, keep_reprints=keep_reprints))
            result = {"case": case, "ok": True, "report": report.to_dict(explain)}
        except ReconcileError as exc:
            result = {"case": case, "ok": False, "error": str(exc)}
        except Exception as exc:  # one broken case must not take the batch down: report it and go on
            result = {"case": case, "ok": False, "error": f"internal error: {type(exc).__name__}: {exc}"}
    notes = [str(w.message) for w in caught if issubclass(w.category, SourceWarning)]
    for w in caught:
        if not issubclass(w.category, SourceWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if notes:
        result["warnings"] = notes
    return result


def json_line(result: dict) -> str:
    """One result as a line of JSON Lines (UTF-8 text, no line break inside)."""
    return json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n"


def run_cases(cases: Iterable[str], *, jobs: int = 1, dask_address: str | None = None,
              dates: tuple[tuple[str, str], ...] = (), explain: bool = False,
              progress: Progress | None = None, trust=None, keep_reprints: bool = False) -> Iterator[dict]:
    """Results of every case, in the order given, each as soon as it and those before it are done."""
    cases = list(cases)
    tell = progress or (lambda stage, done, total: None)
    tell("cases", 0, len(cases))
    if dask_address is not None:
        results = _on_dask(cases, dask_address, dates, explain, trust, keep_reprints)
    elif jobs > 1 and len(cases) > 1:
        results = _in_processes(cases, jobs, dates, explain, trust, keep_reprints)
    else:
        results = (run_case(case, dates, explain, trust, keep_reprints) for case in cases)
    for done, result in enumerate(results, start=1):
        tell("cases", done, len(cases))
        yield result


def _in_processes(cases: list[str], jobs: int, dates, explain: bool, trust, keep_reprints: bool) -> Iterator[dict]:
    import functools

    from .execution import in_order

    work = functools.partial(run_case, dates=dates, explain=explain, trust=trust, keep_reprints=keep_reprints)
    for case, result in in_order(work, cases, jobs):
        yield result if isinstance(result, dict) else \
            {"case": case, "ok": False, "error": "internal error: its worker process died"}


def _on_dask(cases: list[str], address: str, dates, explain: bool, trust, keep_reprints: bool) -> Iterator[dict]:
    try:
        from distributed import Client
    except ImportError:
        raise ReconcileError("--dask needs the dask extra: pip install 'reconcile[dask]'") from None
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise ReconcileError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        futures = client.map(run_case, cases, dates=dates, explain=explain, trust=trust, keep_reprints=keep_reprints,
                             pure=False)
        try:
            for case, future in zip(cases, futures):
                try:
                    yield future.result()
                except Exception as exc:  # the task itself failed (its worker died, ...)
                    yield {"case": case, "ok": False, "error": f"dask task failed: {type(exc).__name__}: {exc}"}
        finally:
            client.cancel(futures)
    finally:
        client.close()
