"""trainlab.workflows.study.store: round trips, life cycle, crash safety, locking, refusals."""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import TrainlabError
from trainlab.workflows.study.store import (
    DB_FILE,
    SCHEMA_VERSION,
    StoreError,
    StudyLocked,
    StudyStore,
    TrialRecord,
)

RECIPE = {"model": {"name": "mlp", "dropout": 0.0}, "train": {"epochs": 3, "lr": 0.01}}


def run_python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    """Start ``python -c code args…`` with this interpreter."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def store(tmp_path: Path):
    with StudyStore(tmp_path / "study") as s:
        yield s


def test_new_store_layout(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    with StudyStore(folder) as s:
        assert s.db_path == folder / DB_FILE
        assert s.get_meta("schema_version") == SCHEMA_VERSION
        assert s.counts() == {"pending": 0, "running": 0, "done": 0, "failed": 0, "diverged": 0}
    conn = sqlite3.connect(folder / DB_FILE)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_round_trip_with_nan_and_inf(store: StudyStore, tmp_path: Path) -> None:
    store.add_trials([("baseline", 0, RECIPE)])
    store.mark_running("baseline", 0)
    metrics = {
        "test_acc": 0.93,
        "val_loss": float("nan"),
        "ratio": float("inf"),
        "low": float("-inf"),
        "np": np.float32(0.5),
        "verdict": "good fit",
    }
    history = [
        {"epoch": 1, "train_loss": 1.0, "val_loss": float("nan")},
        {"epoch": 2, "train_loss": 0.5, "val_loss": 0.7},
    ]
    diagnosis = {"verdict": "good fit", "epoch": None, "remedies": ["a", "b"]}
    probes = {"layers": {"stage0": {"grad_norm": [0.1, float("nan")]}}, "arr": np.arange(3)}
    before = time.time()
    store.record_done(
        "baseline", 0, metrics=metrics, history=history, diagnosis=diagnosis, probes=probes
    )
    store.close()

    with StudyStore(tmp_path / "study") as again:
        (rec,) = again.trials()
    assert isinstance(rec, TrialRecord)
    assert (rec.variant, rec.seed, rec.status, rec.attempts, rec.error) == (
        "baseline",
        0,
        "done",
        1,
        None,
    )
    assert rec.recipe == RECIPE
    assert rec.started is not None and rec.ended is not None
    assert rec.started <= rec.ended and rec.ended >= before
    assert rec.metrics["test_acc"] == 0.93 and rec.metrics["np"] == 0.5
    assert math.isnan(rec.metrics["val_loss"])
    assert rec.metrics["ratio"] == math.inf and rec.metrics["low"] == -math.inf
    assert rec.history[1] == history[1] and math.isnan(rec.history[0]["val_loss"])
    assert rec.diagnosis == diagnosis
    assert rec.probes["arr"] == [0, 1, 2]
    assert math.isnan(rec.probes["layers"]["stage0"]["grad_norm"][1])
    with pytest.raises(Exception):  # noqa: B017 - frozen dataclass
        rec.status = "pending"  # type: ignore[misc]


def test_life_cycle(store: StudyStore) -> None:
    store.add_trials([("baseline", s, RECIPE) for s in (2, 0, 1)] + [("dropout", 0, {"d": 0.5})])
    assert store.pending() == [("baseline", 2), ("baseline", 0), ("baseline", 1), ("dropout", 0)]
    store.mark_running("baseline", 2)
    assert store.counts() == {"pending": 3, "running": 1, "done": 0, "failed": 0, "diverged": 0}
    assert [t.variant for t in store.trials("running")] == ["baseline"]
    store.record_done("baseline", 2, metrics={"a": 1}, history=[], diagnosis=None, probes=None)
    store.mark_running("dropout", 0)
    store.record_failed("dropout", 0, "RuntimeError: boom")
    assert store.counts() == {"pending": 2, "running": 0, "done": 1, "failed": 1, "diverged": 0}
    (failed,) = store.trials("failed")
    assert failed.error == "RuntimeError: boom" and failed.ended is not None
    assert failed.metrics is None and failed.history is None
    # a retry clears the previous outcome and counts the attempt
    store.mark_running("dropout", 0)
    (retry,) = store.trials("running")
    assert (retry.error, retry.ended, retry.attempts) == (None, None, 2)
    assert store.pending() == [("baseline", 0), ("baseline", 1)]
    # adding the same trials again leaves them untouched
    store.add_trials([("baseline", 2, RECIPE), ("baseline", 0, RECIPE)])
    assert store.counts()["done"] == 1
    with pytest.raises(ValueError, match="status must be one of"):
        store.trials("finished")
    with pytest.raises(StoreError, match="no trial"):
        store.mark_running("nope", 0)


def test_reset_unfinished(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    s = StudyStore(folder)
    s.add_trials([("a", 0, {}), ("a", 1, {}), ("b", 0, {})])
    s.mark_running("a", 0)
    s.mark_running("a", 1)
    s.record_done("a", 1, metrics={}, history=[], diagnosis=None, probes=None)
    s.mark_running("b", 0)
    s.close()  # as after a crash: 'a' 0 and 'b' 0 never finished
    with StudyStore(folder) as again:
        assert again.reset_unfinished() == 2
        assert again.reset_unfinished() == 0
        assert again.pending() == [("a", 0), ("b", 0)]
        assert again.counts()["done"] == 1


def test_diverged_is_a_finished_result_with_its_settings(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    settings = {"threads": 1, "torch": "2.0", "device": "cpu"}
    with StudyStore(folder) as s:
        s.add_trials([("a", 0, {}), ("b", 0, {})])
        s.mark_running("a", 0)
        s.record_diverged(
            "a",
            0,
            metrics={"diverged_epoch": 2, "seconds": 0.5},
            history=[{"epoch": 1}],
            settings=settings,
        )
        s.mark_running("b", 0)
        s.record_done(
            "b", 0, metrics={}, history=[], diagnosis=None, probes=None, settings=settings
        )
    with StudyStore(folder) as again:
        assert again.reset_unfinished() == 0  # diverged is finished: it stays
        assert again.counts() == {"pending": 0, "running": 0, "done": 1, "failed": 0, "diverged": 1}
        (d,) = again.trials("diverged")
        assert d.metrics == {"diverged_epoch": 2, "seconds": 0.5} and d.history == [{"epoch": 1}]
        assert d.error is None and d.ended is not None and d.settings == settings
        assert again.trials("done")[0].settings == settings
        again.mark_running("a", 0)  # run again: its previous settings are cleared
        assert again.trials("running")[0].settings is None


def test_discard_trials(tmp_path: Path) -> None:
    with StudyStore(tmp_path / "s") as s:
        s.add_trials([("a", 0, {}), ("a", 1, {})])
        s.mark_running("a", 0)
        s.record_failed("a", 0, "RuntimeError: boom")
        s.set_meta("last_run", {"wall_seconds": 1.0})
        s.set_meta("lang", "es")
        before = s.discard_trials()
        assert (before["failed"], before["pending"]) == (1, 1)
        assert s.trials() == [] and s.get_meta("last_run") is None
        assert s.get_meta("lang") == "es"  # the study's own metadata stays
        s.add_trials([("a", 0, {"changed": True})])  # a changed definition is welcome now
        assert s.pending() == [("a", 0)]


#: the schema of a version-1 store, as the trainlab that wrote them created it
V1_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE trials (
        variant   TEXT    NOT NULL,
        seed      INTEGER NOT NULL,
        status    TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'running', 'done', 'failed')),
        recipe    TEXT    NOT NULL,
        started   REAL,
        ended     REAL,
        metrics   TEXT,
        history   TEXT,
        diagnosis TEXT,
        probes    TEXT,
        error     TEXT,
        attempts  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (variant, seed)
    )""",
    "CREATE INDEX trials_status ON trials (status)",
    "INSERT INTO meta (key, value) VALUES ('schema_version', '1')",
)


def _v1_store(folder: Path) -> Path:
    """A version-1 store with three trials (inserted out of key order) and metadata."""
    folder.mkdir(parents=True)
    db = folder / DB_FILE
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    with conn:
        for statement in V1_SCHEMA:
            conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('lang', '\"es\"')")
        conn.execute(
            "INSERT INTO trials (variant, seed, status, recipe, started, ended, metrics, "
            "history, attempts) VALUES ('b', 1, 'done', '{}', 1.0, 2.0, "
            "'{\"test_acc\":0.5}', '[]', 1)"
        )
        conn.execute(
            "INSERT INTO trials (variant, seed, status, recipe, error, attempts) "
            "VALUES ('a', 0, 'failed', '{}', 'RuntimeError: boom', 2)"
        )
        conn.execute("INSERT INTO trials (variant, seed, recipe) VALUES ('a', 1, '{}')")
    conn.close()
    return db


def test_version_1_store_is_migrated_with_its_rows(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    _v1_store(folder)
    with StudyStore(folder) as s:
        assert s.get_meta("schema_version") == SCHEMA_VERSION == 2
        assert s.get_meta("lang") == "es"
        rows = [(t.variant, t.seed, t.status, t.attempts, t.settings) for t in s.trials()]
        assert rows == [
            ("b", 1, "done", 1, None),
            ("a", 0, "failed", 2, None),
            ("a", 1, "pending", 0, None),
        ]
        done = s.trials("done")[0]
        assert (done.metrics, done.started, done.ended) == ({"test_acc": 0.5}, 1.0, 2.0)
        assert s.trials("failed")[0].error == "RuntimeError: boom"
        assert s.pending() == [("a", 1)]
        s.mark_running("a", 1)  # the new status is allowed
        s.record_diverged("a", 1, metrics={"diverged_epoch": 1}, history=[])
        assert s.counts()["diverged"] == 1
    conn = sqlite3.connect(folder / DB_FILE)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        indexes = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")]
        assert sorted(tables) == ["meta", "trials"] and "trials_status" in indexes
        with pytest.raises(sqlite3.IntegrityError):  # the status check is still there
            conn.execute("UPDATE trials SET status = 'finished'")
    finally:
        conn.close()


def test_a_failed_migration_leaves_the_version_1_store_as_it_was(tmp_path, monkeypatch) -> None:
    import trainlab.workflows.study.store_schema as schema

    folder = tmp_path / "s"
    db = _v1_store(folder)
    # the last step fails, after the old table was dropped and the new one renamed
    monkeypatch.setattr(schema, "_INDEX", "CREATE INDEX broken ON no_such_table (x)")
    with pytest.raises(StoreError, match="no_such_table"):
        StudyStore(folder)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (
            "1",
        )
        assert conn.execute("SELECT COUNT(*) FROM trials").fetchone() == (3,)
        columns = [r[1] for r in conn.execute("PRAGMA table_info(trials)")]
        assert "settings" not in columns
    finally:
        conn.close()
    monkeypatch.undo()
    with StudyStore(folder) as s:  # and a later open migrates it
        assert len(s.trials()) == 3


def test_meta(store: StudyStore, tmp_path: Path) -> None:
    store.set_meta("spec", {"name": "demo", "seeds": [0, 1], "alpha": float("nan")})
    store.set_meta("spec", {"name": "demo2"})
    assert store.get_meta("spec") == {"name": "demo2"}
    assert store.get_meta("missing", 7) == 7
    with pytest.raises(ValueError, match="reserved"):
        store.set_meta("schema_version", 2)
    store.close()
    with StudyStore(tmp_path / "study") as again:
        assert again.get_meta("spec") == {"name": "demo2"}


def test_changed_recipe_is_refused_atomically(store: StudyStore) -> None:
    store.add_trials([("dropout", 0, {"model": {"dropout": 0.5}, "train": {"lr": 0.1}})])
    # the key order does not matter
    store.add_trials([("dropout", 0, {"train": {"lr": 0.1}, "model": {"dropout": 0.5}})])
    with pytest.raises(StoreError) as info:
        store.add_trials(
            [
                ("other", 0, {}),
                ("dropout", 0, {"model": {"dropout": 0.3}, "train": {"lr": 0.1}}),
            ]
        )
    msg = str(info.value)
    assert "study definition changed" in msg and "'dropout'" in msg
    assert "model.dropout" in msg and "new study folder" in msg and "\n" not in msg
    assert "--fresh" in msg
    assert isinstance(info.value, TrainlabError)
    assert store.pending() == [("dropout", 0)]  # "other" was rolled back


def test_incompatible_schema_version_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    with StudyStore(folder) as s:
        s.add_trials([("a", 0, {})])
    conn = sqlite3.connect(folder / DB_FILE)
    with conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    db = folder / DB_FILE
    before = snapshot(db)
    with pytest.raises(StoreError) as info:
        StudyStore(folder)
    msg = str(info.value)
    assert str(db) in msg and "99" in msg and f"version {SCHEMA_VERSION}" in msg
    assert snapshot(db) == before


def test_foreign_sqlite_database_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    db = folder / DB_FILE
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("CREATE TABLE runs (id INTEGER)")
    conn.close()
    before = snapshot(db)
    with pytest.raises(StoreError, match=r"without trainlab's tables .*runs"):
        StudyStore(folder)
    assert snapshot(db) == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_not_a_sqlite_file(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    db = folder / DB_FILE
    db.write_bytes(b"name: my study\nvariants: {}\n" * 10)
    before = snapshot(db)
    with pytest.raises(StoreError, match="is not a SQLite database"):
        StudyStore(folder)
    assert snapshot(db) == before


def test_study_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        StudyStore(tmp_path / "f")


CRASH = """
    import os, signal, sys
    from pathlib import Path
    from trainlab.workflows.study.store import StudyStore
    s = StudyStore(Path(sys.argv[1]))
    with s.lock():
        s.add_trials([("a", 0, {"x": 1}), ("a", 1, {"x": 1}), ("b", 0, {"x": 2})])
        s.mark_running("a", 0)
        s.record_done("a", 0, metrics={"test_acc": 0.9, "loss": float("nan")},
                      history=[{"epoch": 1, "val_loss": float("inf")}],
                      diagnosis={"verdict": "good fit"}, probes=None)
        s.mark_running("b", 0)
        os.kill(os.getpid(), signal.SIGKILL)
"""


def test_sigkill_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    with run_python(CRASH, str(folder)) as proc:
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err
    with StudyStore(folder) as s, s.lock():  # the dead process's lock is gone
        (done,) = s.trials("done")
        assert done.metrics["test_acc"] == 0.9 and math.isnan(done.metrics["loss"])
        assert done.history == [{"epoch": 1, "val_loss": math.inf}]
        assert done.diagnosis == {"verdict": "good fit"}
        assert s.reset_unfinished() == 1
        assert s.pending() == [("a", 1), ("b", 0)]
        assert s.trials()[2].attempts == 1


HAMMER = """
    import sys
    from pathlib import Path
    from trainlab.workflows.study.store import StudyStore
    s = StudyStore(Path(sys.argv[1]))
    for i in range(1_000_000):
        s.add_trials([("v", i, {"i": i})])
        s.mark_running("v", i)
        if i == 5:
            print("ready", flush=True)
        s.record_done("v", i, metrics={"i": i}, history=[{"epoch": 1}] * 20,
                      diagnosis=None, probes={"p": list(range(50))})
"""


def test_sigkill_at_a_random_moment(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    with run_python(HAMMER, str(folder)) as proc:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(0.3)
        proc.kill()
        proc.wait(timeout=60)
    with StudyStore(folder) as s:
        assert s._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        records = s.trials()
        assert len(records) >= 6
        assert [r.seed for r in records] == list(range(len(records)))
        for r in records:
            if r.status == "done":
                assert r.metrics == {"i": r.seed} and r.ended is not None
                assert r.probes == {"p": list(range(50))}
        assert sum(r.status != "done" for r in records) <= 1
        assert s.reset_unfinished() <= 1


HOLD = """
    import sys, time
    from pathlib import Path
    from trainlab.workflows.study.store import StudyStore
    s = StudyStore(Path(sys.argv[1]))
    with s.lock():
        print("locked", flush=True)
        time.sleep(600)
"""


def test_lock_names_the_holder_and_dies_with_it(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    StudyStore(folder).close()
    with run_python(HOLD, str(folder)) as proc:
        try:
            assert proc.stdout.readline().strip() == "locked", proc.stderr.read()
            with StudyStore(folder) as s:
                with pytest.raises(StudyLocked) as info, s.lock():
                    pass
                msg = str(info.value)
                assert f"pid {proc.pid}" in msg and str(folder) in msg and "in use" in msg
                assert isinstance(info.value, StoreError)
                # reading the store is still possible while another process holds the lock
                assert s.counts()["pending"] == 0
        finally:
            proc.kill()
            proc.wait(timeout=60)
    with StudyStore(folder) as s, s.lock():
        assert (folder / "study.lock").read_text().strip() == str(os.getpid())
        with s.lock():  # nested use on the same store
            pass
        assert (folder / "study.lock").read_text().strip() == str(os.getpid())
