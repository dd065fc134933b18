"""The ledger's tables, as the steps that build them: step n takes a ledger from version n to n + 1.

A ledger records PRAGMA user_version; opening one runs the steps it lacks, in one transaction.
Steps are never edited once released, only added: a ledger written by any earlier release must
reach today's tables by the same steps a new one goes through.
"""
from __future__ import annotations

APPLICATION_ID = 0x52434C47  # "RCLG" in PRAGMA application_id: an SQLite file that is a reconcile ledger

MIGRATIONS: tuple[str, ...] = (
    # v1: runs of a story, the sources each read, the findings each made.
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        story TEXT NOT NULL,
        number INTEGER NOT NULL,          -- 1, 2, ... within the story
        at TEXT NOT NULL,                 -- when it was recorded, UTC, 2022-10-17T05:00:00Z
        version TEXT NOT NULL,            -- reconcile's version
        settings TEXT NOT NULL,           -- canonical JSON
        UNIQUE (story, number)
    );
    CREATE TABLE sources (
        run INTEGER NOT NULL REFERENCES runs(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT,
        url TEXT,
        date TEXT,
        kind TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        fetched TEXT NOT NULL,
        PRIMARY KEY (run, id)
    );
    CREATE TABLE findings (
        run INTEGER NOT NULL REFERENCES runs(id),
        fact TEXT NOT NULL,               -- stable across runs: see ledger/records.py
        verdict TEXT NOT NULL,
        kind TEXT,
        topic TEXT NOT NULL,
        summary TEXT NOT NULL,
        confidence REAL NOT NULL,
        sources TEXT NOT NULL,            -- JSON list of source ids
        "values" TEXT NOT NULL,           -- JSON list of [source id, value]
        PRIMARY KEY (run, fact)
    );
    """,
    # v2: wire copies are counted once; a source remembers which one it was counted as. `--since`
    # looks runs up by time.
    """
    ALTER TABLE sources ADD COLUMN reprint_of TEXT;
    CREATE INDEX runs_by_time ON runs (story, at);
    """,
)

VERSION = len(MIGRATIONS)
