"""reconcile: align the claims of several news articles and judge where they agree and differ."""
__version__ = "0.1.0"
