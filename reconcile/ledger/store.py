"""The ledger file: an SQLite database of the runs of every story tracked, safe to share.

Several processes may record runs of one story at once (a cron job and a person): the file is in
WAL mode, every run is written in one BEGIN IMMEDIATE transaction (so a run is all there or not
there, and its number is taken under the write lock), and a writer waits up to BUSY_SECONDS for
another to finish rather than failing.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from typing import Iterator

from ..errors import ReconcileError
from ..models import VERDICTS
from .model import FindingRecord, Run, RunInfo, SourceRecord
from .schema import APPLICATION_ID, MIGRATIONS, VERSION

BUSY_SECONDS = 60.0
SQLITE_HEADER = b"SQLite format 3\x00"
STORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class LedgerError(ReconcileError):
    """The ledger cannot be used: not a ledger, corrupt, too new, or no such story or run."""


def check_story(story: str) -> str:
    """A story name: letters, digits, '.', '_' and '-', starting with a letter or digit (at most 100)."""
    if not STORY.fullmatch(story):
        raise LedgerError(f"{story!r}: a story name is letters, digits, '.', '_' and '-', "
                          f"starting with a letter or digit, at most 100 characters")
    return story


def default_path() -> str:
    """RECONCILE_LEDGER, else ledger.sqlite3 in the platform's user data folder."""
    given = os.environ.get("RECONCILE_LEDGER")
    if given:
        return given
    import platformdirs

    return os.path.join(platformdirs.user_data_dir("reconcile", appauthor=False), "ledger.sqlite3")


class Ledger:
    """The runs of every story in one SQLite file. Use as a context manager, or call close()."""

    def __init__(self, path: str, create: bool = True, make_folder: bool = False):
        self.path = path
        _refuse_foreign(path, create)
        if create and make_folder:
            try:
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            except OSError as exc:
                raise LedgerError(f"{path}: cannot make the ledger's folder: {exc.strerror or exc}") from None
        folder = os.path.dirname(os.path.abspath(path))
        if create and not os.path.isdir(folder):
            raise LedgerError(f"{path}: folder {folder} does not exist")
        try:
            # isolation_level=None: no implicit transactions; each write opens its own BEGIN IMMEDIATE
            self.db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise LedgerError(f"{path}: cannot open the ledger: {exc}") from None
        try:
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            self._refuse()  # before WAL mode, which rewrites the file's header
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise LedgerError(f"{path}: not a usable ledger: {exc}") from None
        except BaseException:
            self.db.close()
            raise

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _refuse(self) -> tuple[int, int]:
        return _refusal(self.db, self.path)

    def _migrate(self) -> None:
        with self._write():  # checked again under the write lock: another process may have migrated it
            version, app = self._refuse()
            for step in MIGRATIONS[version:]:
                for statement in _statements(step):
                    self.db.execute(statement)
            if version < VERSION or app != APPLICATION_ID:
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.db.execute(f"PRAGMA user_version = {VERSION}")

    def _write(self):
        return _Transaction(self.db)

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def record(self, run: Run) -> int:
        """Store the run whole, as the story's next run; return its number."""
        check_story(run.story)
        try:
            with self._write():
                number = self.db.execute("SELECT coalesce(max(number), 0) + 1 FROM runs WHERE story = ?",
                                         (run.story,)).fetchone()[0]
                cursor = self.db.execute("INSERT INTO runs (story, number, at, version, settings) VALUES (?, ?, ?, ?, ?)",
                                         (run.story, number, run.at, run.version, run.settings))
                rid = cursor.lastrowid
                self.db.executemany(
                    "INSERT INTO sources (run, id, name, path, url, date, kind, sha256, fetched, reprint_of) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(rid, s.id, s.name, s.path, s.url, s.date, s.kind, s.text_hash, s.fetched, s.reprint_of)
                     for s in run.sources])
                self.db.executemany(
                    'INSERT INTO findings (run, fact, verdict, kind, topic, summary, confidence, sources, "values") '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(rid, f.fact_id, f.verdict, f.kind, f.topic, f.summary, f.confidence, json.dumps(list(f.sources)),
                      json.dumps([list(v) for v in f.values])) for f in run.findings])
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path}: cannot record the run: {exc}") from None
        return number

    def _read(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Rows of a query; a file damaged past its header is a LedgerError, not a traceback."""
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path}: cannot read the ledger: {exc}") from None

    def stories(self) -> list[str]:
        return [row[0] for row in self._read("SELECT DISTINCT story FROM runs ORDER BY story")]

    def history(self, story: str) -> list[RunInfo]:
        """The story's runs, oldest first, with their counts per verdict."""
        out = []
        for rid, number, at, version in self._runs(story):
            sources = self._read("SELECT count(*) FROM sources WHERE run = ?", (rid,))[0][0]
            counts = dict.fromkeys(VERDICTS, 0)
            for verdict, n in self._read("SELECT verdict, count(*) FROM findings WHERE run = ? GROUP BY verdict",
                                         (rid,)):
                counts[verdict] = n
            out.append(RunInfo(number=number, at=at, version=version, sources=sources, counts=tuple(counts.items())))
        return out

    def _runs(self, story: str) -> list[tuple]:
        check_story(story)
        rows = self._read("SELECT id, number, at, version FROM runs WHERE story = ? ORDER BY number", (story,))
        if not rows:
            known = self.stories()
            raise LedgerError(f"{self.path}: no runs of {story!r} recorded"
                              + (f" (stories: {', '.join(known[:10])})" if known else " (the ledger is empty)"))
        return rows

    def numbers(self, story: str) -> list[tuple[int, str]]:
        """(number, time) of every run of the story, oldest first."""
        return [(number, at) for _, number, at, _ in self._runs(story)]

    def load(self, story: str, number: int) -> Run:
        """One run of the story, whole."""
        rows = self._read("SELECT id, at, version, settings FROM runs WHERE story = ? AND number = ?",
                          (check_story(story), number))
        if not rows:
            raise LedgerError(f"{self.path}: {story!r} has no run {number}")
        rid, at, version, settings = rows[0]
        sources = tuple(SourceRecord(id=r[0], name=r[1], path=r[2], url=r[3], date=r[4], kind=r[5], text_hash=r[6],
                                     fetched=r[7], reprint_of=r[8]) for r in self._read(
            "SELECT id, name, path, url, date, kind, sha256, fetched, reprint_of FROM sources WHERE run = ? ORDER BY id",
            (rid,)))
        findings = tuple(FindingRecord(fact_id=r[0], verdict=r[1], kind=r[2], topic=r[3], summary=r[4], confidence=r[5],
                                       sources=tuple(json.loads(r[6])), values=tuple(tuple(v) for v in json.loads(r[7])))
                         for r in self._read(
            'SELECT fact, verdict, kind, topic, summary, confidence, sources, "values" FROM findings '
            "WHERE run = ? ORDER BY fact", (rid,)))
        return Run(story=story, at=at, version=version, settings=settings, sources=sources, findings=findings,
                   number=number)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (Ctrl-C too)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
        return False


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration step one by one: executescript would commit the transaction."""
    for statement in script.split(";"):
        body = "\n".join(line.split("--")[0] for line in statement.splitlines()).strip()
        if body:
            yield body


def _refusal(db: sqlite3.Connection, path: str) -> tuple[int, int]:
    """(version, application id), or LedgerError for a database that is not ours or is too new."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    app = db.execute("PRAGMA application_id").fetchone()[0]
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app != APPLICATION_ID and (version or tables):
        raise LedgerError(f"{path}: an SQLite database, but not a reconcile ledger; refusing to change it")
    if version > VERSION:
        raise LedgerError(f"{path}: ledger version {version} was written by a newer reconcile "
                          f"(this one reads up to version {VERSION}); upgrade reconcile")
    return version, app


def check_ledger(path: str) -> None:
    """LedgerError unless `path` is an existing file a Ledger could record in, found by reading it
    only: nothing is migrated or switched to WAL until a run is recorded."""
    from urllib.parse import quote

    _refuse_foreign(path, create=False)
    try:
        db = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True, timeout=BUSY_SECONDS)
    except sqlite3.Error as exc:
        raise LedgerError(f"{path}: cannot open the ledger: {exc}") from None
    try:
        _refusal(db, path)
    except sqlite3.DatabaseError as exc:
        raise LedgerError(f"{path}: not a usable ledger: {exc}") from None
    finally:
        db.close()


def _refuse_foreign(path: str, create: bool) -> None:
    """A file that is not SQLite is not ours to touch (an article given by mistake); no ledger at
    all is an error where nothing is to be recorded."""
    if os.path.isdir(path):
        raise LedgerError(f"{path}: is a directory; --ledger names a file")
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        if not create:
            raise LedgerError(f"{path}: no ledger here yet (`reconcile track` creates it)") from None
        return
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror or exc}") from None
    if head and head != SQLITE_HEADER:
        raise LedgerError(f"{path}: not a reconcile ledger (not an SQLite database); refusing to change it")
    if not head and not create:
        raise LedgerError(f"{path}: the ledger is empty (`reconcile track` records runs in it)")
