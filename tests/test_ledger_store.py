"""The ledger file: migrations from every version, refusals, whole runs, concurrent writers."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from reconcile.ledger import FindingRecord, Ledger, LedgerError, Run, SourceRecord
from reconcile.ledger.schema import APPLICATION_ID, MIGRATIONS, VERSION
from reconcile.ledger.store import _statements

from conftest import FIXTURES, REPO


def a_run(story: str = "bridge", at: str = "2022-10-17T06:00:00Z", toll: str = "4") -> Run:
    return Run(story=story, at=at, version="0.1.0", settings="{}",
               sources=(SourceRecord(id="wire", name="Valley Wire", text_hash="ab", fetched=at, path="wire.md"),),
               findings=(FindingRecord("f-1", "agreement", None, "death toll", f"death toll: {toll} (wire)", 0.8,
                                       ("wire",), (("wire", toll),)),))


def at_version(path, version: int) -> None:
    """A ledger as a release that knew `version` steps left it."""
    db = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:version]:
        for statement in _statements(step):
            db.execute(statement)
    if version:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {version}")
    if version >= 1:  # a run as version 1 wrote it (every later column left out)
        db.execute("INSERT INTO runs (story, number, at, version, settings) VALUES ('bridge', 1, '2022-10-17T06:00:00Z', "
                   "'0.0.9', '{}')")
        db.execute("INSERT INTO sources (run, id, name, path, url, date, kind, sha256, fetched) "
                   "VALUES (1, 'wire', 'Valley Wire', 'wire.md', NULL, NULL, 'text', 'ab', '2022-10-17T06:00:00Z')")
        db.execute('INSERT INTO findings (run, fact, verdict, kind, topic, summary, confidence, sources, "values") '
                   "VALUES (1, 'f-1', 'agreement', NULL, 'death toll', 'death toll: 4 (wire)', 0.8, '[\"wire\"]', "
                   "'[[\"wire\", \"4\"]]')")
    db.close()


def test_an_empty_file_becomes_a_ledger_of_the_latest_version(tmp_path):
    path = tmp_path / "l.sqlite3"
    path.write_bytes(b"")
    with Ledger(str(path)) as ledger:
        assert ledger.version == VERSION
        assert ledger.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert ledger.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ledger.record(a_run()) == 1


@pytest.mark.parametrize("version", range(1, VERSION))
def test_every_earlier_version_migrates_with_its_runs(tmp_path, version):
    path = str(tmp_path / "old.sqlite3")
    at_version(path, version)
    with Ledger(path) as ledger:
        assert ledger.version == VERSION
        old = ledger.load("bridge", 1)
        assert old.version == "0.0.9" and old.sources[0].reprint_of is None
        assert old.findings[0].values == (("wire", "4"),)
        assert ledger.record(a_run(toll="6")) == 2
        assert ledger.load("bridge", 2).findings[0].values == (("wire", "6"),)
    assert VERSION >= 2  # a migration path that is walked, not only a first version


def test_a_ledger_from_a_newer_reconcile_is_refused_untouched(tmp_path):
    path = str(tmp_path / "new.sqlite3")
    at_version(path, VERSION)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {VERSION + 1}")
    db.close()
    with open(path, "rb") as f:
        before = f.read()
    with pytest.raises(LedgerError, match=f"version {VERSION + 1} was written by a newer reconcile"):
        Ledger(path)
    with open(path, "rb") as f:
        assert f.read() == before


@pytest.mark.parametrize("content", [b"An article, not a ledger.\n", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_file_that_is_not_a_ledger_is_refused_untouched(tmp_path, content):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(LedgerError, match=str(path)):
        Ledger(str(path))
    assert path.read_bytes() == content


def test_another_programs_database_is_refused(tmp_path):
    path = str(tmp_path / "other.db")
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.close()
    with pytest.raises(LedgerError, match="not a reconcile ledger"):
        Ledger(path)


def test_reading_needs_a_ledger_and_does_not_make_one(tmp_path):
    with pytest.raises(LedgerError, match="no ledger here"):
        Ledger(str(tmp_path / "none.sqlite3"), create=False)
    assert not (tmp_path / "none.sqlite3").exists()


def test_runs_are_numbered_per_story_and_read_back_whole(tmp_path):
    with Ledger(str(tmp_path / "l.sqlite3")) as ledger:
        assert [ledger.record(a_run("bridge")), ledger.record(a_run("flood")), ledger.record(a_run("bridge"))] == [1, 1, 2]
        assert ledger.load("bridge", 2) == a_run("bridge").__class__(**{**a_run("bridge").__dict__, "number": 2})
        assert [r.number for r in ledger.history("bridge")] == [1, 2]
        assert dict(ledger.history("bridge")[0].counts)["agreement"] == 1
        with pytest.raises(LedgerError, match="no runs of 'storm'"):
            ledger.history("storm")


def test_an_interrupted_run_leaves_the_ledger_as_it_was(tmp_path):
    path = str(tmp_path / "l.sqlite3")
    with Ledger(path) as ledger:
        ledger.record(a_run())

    class Interrupting:  # the connection, but Ctrl-C arrives while the findings are written
        def __init__(self, db):
            self.db = db

        def execute(self, *args):
            return self.db.execute(*args)

        def executemany(self, sql, rows):
            if "findings" in sql:
                raise KeyboardInterrupt
            return self.db.executemany(sql, rows)

    with Ledger(path) as ledger:
        ledger.db = Interrupting(ledger.db)
        with pytest.raises(KeyboardInterrupt):
            ledger.record(a_run(toll="6"))
        ledger.db = ledger.db.db
    with Ledger(path) as ledger:
        assert [r.number for r in ledger.history("bridge")] == [1]
        assert ledger.db.execute("SELECT count(*) FROM sources").fetchone()[0] == 1


def test_eight_concurrent_track_processes_lose_no_run(tmp_path):
    """Real processes, started together, recording runs of one story in one new ledger."""
    path = str(tmp_path / "shared.sqlite3")
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    story = FIXTURES / "tracked-story" / "run2"
    processes = [subprocess.Popen([sys.executable, "-m", "reconcile", "track", "bridge", str(story), "--ledger", path,
                                   "-q", "-j", "1", "-f", "json"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE) for _ in range(8)]
    errors = [p.communicate(timeout=300)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * 8, errors
    with Ledger(path, create=False) as ledger:
        runs = ledger.history("bridge")
        assert [r.number for r in runs] == list(range(1, 9))
        assert {r.counts for r in runs} == {runs[0].counts} and runs[0].sources == 3
        assert ledger.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert ledger.db.execute("SELECT count(*) FROM findings").fetchone()[0] == 8 * sum(dict(runs[0].counts).values())
