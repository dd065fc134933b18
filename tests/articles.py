"""Small hand-written articles run through the Python API, for judge-level tests."""
import reconcile
from reconcile.models import Source


def compare_texts(*texts, dates=None):
    """Compare texts as sources s1, s2, ... (optionally dated by id)."""
    sources = [Source(id=f"s{n}", name=f"s{n}", path=None, text=t, date=(dates or {}).get(f"s{n}"))
               for n, t in enumerate(texts, start=1)]
    return reconcile.compare(sources)


def findings(report, verdict, kind=None):
    return [f for f in report.findings if f.verdict == verdict and (kind is None or f.kind == kind)]
