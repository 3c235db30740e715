"""A crash-safe SQLite store for the trials of a study.

A study folder holds ``study.sqlite`` (the trials and the study's metadata)
and ``study.lock`` (held while a trainlab process runs the study). A trial is
one (variant, seed) pair; it moves ``pending → running → done | diverged |
failed`` (``diverged``: its loss became NaN or infinite, a result; ``failed``:
an error), and a ``running`` trial found when a study is reopened was
interrupted by a crash, so :meth:`StudyStore.reset_unfinished` puts it back to
``pending``. Each finished trial keeps the settings it ran under.

Durability rests on SQLite's atomic commit (https://www.sqlite.org/atomiccommit.html)
in write-ahead-log mode (https://www.sqlite.org/wal.html): every write is one
transaction, ``PRAGMA synchronous=FULL`` syncs the log at each commit, so a
process killed at any moment (SIGKILL included) leaves every committed trial
intact and never a half-written one; the next open replays the log. Mutual
exclusion between processes is an advisory ``flock(2)`` on ``study.lock``,
which the kernel releases when its holder dies, so a crash leaves no stale lock.

Only the parent process writes: workers return their results to it. The
connection is opened in autocommit mode (``isolation_level=None``) and every
write runs as ``BEGIN IMMEDIATE`` … ``COMMIT`` inside ``with conn:`` (which
commits, or rolls back on an exception), so that schema creation is
transactional too; ``timeout=30`` waits up to 30 s for a reader's lock.
Do not use a store across ``fork()``: open it again in the child if needed.

The schema and its checks live in :mod:`~trainlab.workflows.study.store_schema`,
the trial record and the JSON of its columns in
:mod:`~trainlab.workflows.study.store_records`, the folder lock in
:mod:`~trainlab.workflows.study.store_lock`; this module holds the store itself.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.workflows.study.store import StudyStore
    >>> with StudyStore(Path(tempfile.mkdtemp())) as store, store.lock():
    ...     store.add_trials([("baseline", 0, {"model": {"dropout": 0.0}})])
    ...     store.mark_running("baseline", 0)
    ...     store.record_done("baseline", 0, metrics={"test_acc": 0.93}, history=[],
    ...                       diagnosis=None, probes=None)
    ...     store.counts()["done"], store.trials()[0].metrics
    (1, {'test_acc': 0.93})
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from trainlab.workflows.study.store_lock import LOCK_FILE, FolderLock, StudyLocked
from trainlab.workflows.study.store_records import (
    COLUMNS,
    TrialRecord,
    changed_keys,
    dumps,
    loads,
    record_from_row,
)
from trainlab.workflows.study.store_schema import (
    DB_FILE,
    SCHEMA_VERSION,
    STATUSES,
    StoreError,
    check_header,
    create_schema,
    migrate,
    stored_version,
    table_names,
    validate,
)

__all__ = [
    "DB_FILE",
    "LOCK_FILE",
    "SCHEMA_VERSION",
    "STATUSES",
    "StoreError",
    "StudyLocked",
    "StudyStore",
    "TrialRecord",
    "stored_counts",
]


class StudyStore:
    """The trials of one study, in ``path / "study.sqlite"``.

    Opening creates the folder and an empty store when there is none, and
    checks an existing one without modifying it: a file that is not SQLite, a
    SQLite database without trainlab's tables, or an unknown schema version
    raises :class:`StoreError`. A version-1 store is migrated to version 2 in
    one transaction (see :mod:`~trainlab.workflows.study.store_schema`).

    Args:
        path: the study folder.

    Raises:
        StoreError: the store is unreadable, foreign or of another schema version.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> with StudyStore(folder) as store:
        ...     store.set_meta("name", "dropout study")
        >>> StudyStore(folder).get_meta("name")
        'dropout study'
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.db_path = self.path / DB_FILE
        self.lock_path = self.path / LOCK_FILE
        self._lock = FolderLock(self.lock_path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"study folder {self.path} is a file; expected a folder")
        self.path.mkdir(parents=True, exist_ok=True)
        check_header(self.db_path)
        try:
            self._conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"{self.db_path}: cannot open the study store ({e})") from e
        try:
            self._open()
        except BaseException:
            self._conn.close()
            raise

    # -- opening -----------------------------------------------------------------

    def _open(self) -> None:
        try:
            fresh = not table_names(self._conn)
            if fresh:
                # Only a new, empty database is switched to WAL and given our schema;
                # an existing one is validated first and never modified when foreign.
                self._conn.execute("PRAGMA journal_mode=WAL")
                with self._write() as conn:
                    if not table_names(conn):  # another process may have created it meanwhile
                        create_schema(conn)
            elif stored_version(self._conn, self.db_path) == 1:
                with self._write() as conn:
                    if stored_version(conn, self.db_path) == 1:  # not migrated meanwhile
                        migrate(conn)
            validate(self._conn, self.db_path)
            if not fresh:
                self._conn.execute("PRAGMA journal_mode=WAL")  # a no-op for our stores
            self._conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as e:
            raise StoreError(
                f"{self.db_path}: unreadable study store ({e}); expected a trainlab study store"
            ) from e

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on an exception."""
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            yield self._conn

    # -- life cycle --------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent); committed data is already on disk."""
        self._conn.close()

    def __enter__(self) -> StudyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"StudyStore({str(self.path)!r})"

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Hold the study folder exclusively (``flock`` on ``study.lock``, non-blocking).

        The holder's pid is written into the lock file so that a refused
        process can name it. The kernel drops the lock when the holder exits or
        is killed. Nested use on the same store is allowed.

        Raises:
            StudyLocked: another process holds the lock.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> with StudyStore(Path(tempfile.mkdtemp())) as store, store.lock():
            ...     pass
        """
        return self._lock.hold()

    # -- metadata ----------------------------------------------------------------

    def set_meta(self, key: str, value: Any) -> None:
        """Store a JSON value under ``key`` (``schema_version`` is reserved).

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> store = StudyStore(Path(tempfile.mkdtemp()))
            >>> store.set_meta("seeds", [0, 1, 2])
            >>> store.get_meta("seeds"), store.get_meta("absent", "default")
            ([0, 1, 2], 'default')
        """
        if key == "schema_version":
            raise ValueError("meta key 'schema_version' is reserved for the store")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, dumps(value)),
            )

    def get_meta(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else loads(row[0])

    # -- trials ------------------------------------------------------------------

    def add_trials(self, items: list[tuple[str, int, Mapping[str, Any]]]) -> None:
        """Insert (variant, seed, recipe) trials as pending; existing ones stay as they are.

        All or nothing: one transaction for the whole list.

        Raises:
            StoreError: a trial exists with a different recipe (the study's
                definition changed since the store was made).

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> store = StudyStore(Path(tempfile.mkdtemp()))
            >>> store.add_trials([("baseline", 0, {}), ("baseline", 1, {})])
            >>> store.add_trials([("baseline", 1, {})])  # already there: untouched
            >>> store.pending()
            [('baseline', 0), ('baseline', 1)]
        """
        with self._write() as conn:
            for variant, seed, recipe in items:
                text = dumps(dict(recipe))
                row = conn.execute(
                    "SELECT recipe FROM trials WHERE variant = ? AND seed = ?",
                    (variant, int(seed)),
                ).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO trials (variant, seed, status, recipe) "
                        "VALUES (?, ?, 'pending', ?)",
                        (variant, int(seed), text),
                    )
                elif row[0] != text:
                    keys = changed_keys(json.loads(row[0]), json.loads(text))
                    shown = ", ".join(keys[:5]) + (", …" if len(keys) > 5 else "")
                    raise StoreError(
                        f"the study definition changed for variant {variant!r} (seed {seed}): "
                        f"its recipe differs from the one stored in {self.db_path} at {shown}; "
                        "use a new study folder for the changed study, or --fresh to "
                        "discard the stored trials"
                    )

    def discard_trials(self) -> dict[str, int]:
        """Delete every trial (and the last run's facts), in one transaction; the counts before.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> store = StudyStore(Path(tempfile.mkdtemp()))
            >>> store.add_trials([("baseline", 0, {})])
            >>> store.discard_trials()["pending"], store.trials()
            (1, [])
        """
        before = self.counts()
        with self._write() as conn:
            conn.execute("DELETE FROM trials")
            conn.execute("DELETE FROM meta WHERE key = 'last_run'")
        return before

    def reset_unfinished(self) -> int:
        """Put ``running`` trials (left by a crash) back to ``pending``; returns how many.

        Finished trials (``done``, ``diverged``, ``failed``) stay as they are.
        """
        with self._write() as conn:
            return conn.execute(
                "UPDATE trials SET status = 'pending' WHERE status = 'running'"
            ).rowcount

    def pending(self) -> list[tuple[str, int]]:
        """The pending (variant, seed) pairs, in insertion order."""
        rows = self._conn.execute(
            "SELECT variant, seed FROM trials WHERE status = 'pending' ORDER BY rowid"
        ).fetchall()
        return [(v, int(s)) for v, s in rows]

    def _update(self, variant: str, seed: int, sql: str, params: tuple[Any, ...]) -> None:
        with self._write() as conn:
            cursor = conn.execute(
                f"UPDATE trials SET {sql} WHERE variant = ? AND seed = ?",
                (*params, variant, int(seed)),
            )
            if cursor.rowcount != 1:
                raise StoreError(f"{self.db_path} has no trial ({variant!r}, seed {seed})")

    def mark_running(self, variant: str, seed: int) -> None:
        """Start a trial: status ``running``, ``started`` now, one more attempt.

        A previous outcome (``ended``, ``error``, ``settings``) is cleared.
        """
        self._update(
            variant,
            seed,
            "status = 'running', started = ?, ended = NULL, error = NULL, settings = NULL, "
            "attempts = attempts + 1",
            (time.time(),),
        )

    def record_done(
        self,
        variant: str,
        seed: int,
        *,
        metrics: Mapping[str, Any],
        history: list[dict[str, Any]],
        diagnosis: Mapping[str, Any] | None,
        probes: Mapping[str, Any] | None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        """Store a finished trial's results, status ``done`` and ``ended`` now, atomically."""
        self._update(
            variant,
            seed,
            "status = 'done', ended = ?, metrics = ?, history = ?, diagnosis = ?, "
            "probes = ?, error = NULL, settings = ?",
            (
                time.time(),
                dumps(dict(metrics)),
                dumps(list(history)),
                dumps(None if diagnosis is None else dict(diagnosis)),
                dumps(None if probes is None else dict(probes)),
                _settings(settings),
            ),
        )

    def record_diverged(
        self,
        variant: str,
        seed: int,
        *,
        metrics: Mapping[str, Any],
        history: list[dict[str, Any]],
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        """Store a trial whose loss became NaN or infinite: status ``diverged``, atomically.

        ``metrics`` say where (``diverged_epoch``, …) and ``history`` holds the
        epochs before it; a diverged trial is a result, so it is not run again.
        """
        self._update(
            variant,
            seed,
            "status = 'diverged', ended = ?, metrics = ?, history = ?, diagnosis = NULL, "
            "probes = NULL, error = NULL, settings = ?",
            (time.time(), dumps(dict(metrics)), dumps(list(history)), _settings(settings)),
        )

    def record_failed(
        self, variant: str, seed: int, error: str, settings: Mapping[str, Any] | None = None
    ) -> None:
        """Mark a trial ``failed`` with its error message and ``ended`` now, atomically."""
        self._update(
            variant,
            seed,
            "status = 'failed', ended = ?, error = ?, settings = ?",
            (time.time(), str(error), _settings(settings)),
        )

    def trials(self, status: str | None = None) -> list[TrialRecord]:
        """All trials, or those with ``status``, in insertion order."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}; got {status!r}")
        sql = f"SELECT {COLUMNS} FROM trials"
        params: tuple[str, ...] = ()
        if status is not None:
            sql += " WHERE status = ?"
            params = (status,)
        rows = self._conn.execute(sql + " ORDER BY rowid", params).fetchall()
        return [record_from_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """How many trials have each status (every status present, zeros included)."""
        out = dict.fromkeys(STATUSES, 0)
        for status, n in self._conn.execute("SELECT status, COUNT(*) FROM trials GROUP BY status"):
            out[status] = int(n)
        return out


def stored_counts(folder: str | Path) -> dict[str, int] | None:
    """The trial counts of the study store in ``folder``; None when it has none.

    Nothing is created where there is no store.

    Example:
        >>> import tempfile
        >>> stored_counts(tempfile.mkdtemp()) is None
        True
    """
    if not (Path(folder) / DB_FILE).is_file():
        return None
    with StudyStore(Path(folder)) as store:
        return store.counts()


def read_trials(folder: str | Path) -> list[TrialRecord]:
    """The stored trials of the study in ``folder`` (none where there is no store).

    Nothing is created where there is no store.

    Example:
        >>> import tempfile
        >>> read_trials(tempfile.mkdtemp())
        []
    """
    if not (Path(folder) / DB_FILE).is_file():
        return []
    with StudyStore(Path(folder)) as store:
        return store.trials()


def _settings(settings: Mapping[str, Any] | None) -> str | None:
    return dumps(None if settings is None else dict(settings))
