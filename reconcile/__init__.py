"""reconcile: align the claims of several news articles and judge where they agree and differ.

    >>> import reconcile
    >>> report = reconcile.compare(["a.txt", "b.txt"])
    >>> report.to_dict()["summary"]
"""
__version__ = "0.1.0"

__all__ = ["compare", "Config", "Report", "__version__"]


def __getattr__(name):
    # The CLI imports this package for --version; the pipeline (rapidfuzz, yaml) loads on first use.
    if name in ("compare", "Config", "compare_sources"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "Report":
        from .models import Report

        return Report
    raise AttributeError(name)
