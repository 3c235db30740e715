"""A crash-safe SQLite store for the trials of a study.

A study folder holds ``study.sqlite`` (the trials and the study's metadata)
and ``study.lock`` (held while a trainlab process runs the study). A trial is
one (variant, seed) pair; it moves ``pending → running → done | failed``, and a
``running`` trial found when a study is reopened was interrupted by a crash, so
:meth:`StudyStore.reset_unfinished` puts it back to ``pending``.

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
import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.core.errors import TrainlabError

SCHEMA_VERSION = 1
DB_FILE = "study.sqlite"
LOCK_FILE = "study.lock"
STATUSES = ("pending", "running", "done", "failed")

_SQLITE_HEADER = b"SQLite format 3\x00"
_TABLES = {
    "meta": ("key", "value"),
    "trials": (
        "variant",
        "seed",
        "status",
        "recipe",
        "started",
        "ended",
        "metrics",
        "history",
        "diagnosis",
        "probes",
        "error",
        "attempts",
    ),
}
_SCHEMA = (
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE trials (
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
    )
    """,
    "CREATE INDEX trials_status ON trials (status)",
)
_COLUMNS = ", ".join(_TABLES["trials"])


class StoreError(TrainlabError):
    """A study store is unreadable, foreign, of another schema version, or in use."""


class StudyLocked(StoreError):
    """Another process holds the study folder's lock."""


@dataclass(frozen=True)
class TrialRecord:
    """One trial as stored, with its JSON columns decoded.

    ``started`` and ``ended`` are Unix times (``time.time()``) or None; the
    JSON columns are None until written.
    """

    variant: str
    seed: int
    status: str
    recipe: dict[str, Any]
    started: float | None
    ended: float | None
    metrics: dict[str, Any] | None
    history: list[dict[str, Any]] | None
    diagnosis: dict[str, Any] | None
    probes: dict[str, Any] | None
    error: str | None
    attempts: int


def _json_default(obj: Any) -> Any:
    """numpy and torch scalars and arrays (anything with ``tolist``) as plain values."""
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _dumps(value: Any) -> str | None:
    """Canonical JSON (sorted keys, NaN and ±Infinity allowed); None stays NULL."""
    if value is None:
        return None
    return json.dumps(
        value, allow_nan=True, sort_keys=True, separators=(",", ":"), default=_json_default
    )


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _changed_keys(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted keys whose values differ between two decoded recipes."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for key in sorted(set(old) | set(new), key=str):
            out += _changed_keys(old.get(key), new.get(key), f"{prefix}{key}.")
        return out
    return [] if old == new else [prefix.rstrip(".") or "(recipe)"]


def _read_pid(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "unknown"
    return text if text.isdigit() else "unknown"


class StudyStore:
    """The trials of one study, in ``path / "study.sqlite"``.

    Opening creates the folder and an empty store when there is none, and
    checks an existing one without modifying it: a file that is not SQLite, a
    SQLite database without trainlab's tables, or another schema version
    raises :class:`StoreError`.

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
        self._lock_fd: int | None = None
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"study folder {self.path} is a file; expected a folder")
        self.path.mkdir(parents=True, exist_ok=True)
        self._check_header()
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

    def _check_header(self) -> None:
        """Refuse a non-empty file that does not start with SQLite's header."""
        if not self.db_path.exists():
            return
        if self.db_path.is_dir():
            raise StoreError(f"{self.db_path} is a folder; expected a SQLite database file")
        try:
            with self.db_path.open("rb") as f:
                head = f.read(len(_SQLITE_HEADER))
        except OSError as e:
            raise StoreError(f"{self.db_path}: cannot read the study store ({e})") from e
        if head and head != _SQLITE_HEADER:
            raise StoreError(
                f"{self.db_path} is not a SQLite database (it starts with {head[:8]!r}); "
                "expected a trainlab study store"
            )

    def _tables(self) -> list[str]:
        rows = self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        return sorted(r[0] for r in rows)

    def _open(self) -> None:
        try:
            fresh = not self._tables()
            if fresh:
                # Only a new, empty database is switched to WAL and given our schema;
                # an existing one is validated first and never modified when foreign.
                self._conn.execute("PRAGMA journal_mode=WAL")
                with self._write() as conn:
                    if not self._tables():  # another process may have created it meanwhile
                        for statement in _SCHEMA:
                            conn.execute(statement)
                        conn.execute(
                            "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                            (_dumps(SCHEMA_VERSION),),
                        )
            self._validate()
            if not fresh:
                self._conn.execute("PRAGMA journal_mode=WAL")  # a no-op for our stores
            self._conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as e:
            raise StoreError(
                f"{self.db_path}: unreadable study store ({e}); expected a trainlab study store"
            ) from e

    def _validate(self) -> None:
        tables = self._tables()
        for table, wanted in _TABLES.items():
            if table not in tables:
                found = ", ".join(tables) or "none"
                raise StoreError(
                    f"{self.db_path} is a SQLite database without trainlab's tables "
                    f"(found tables: {found}); expected tables meta and trials"
                )
            columns = {r[1] for r in self._conn.execute(f"PRAGMA table_info({table})")}
            missing = [c for c in wanted if c not in columns]
            if missing:
                raise StoreError(
                    f"{self.db_path}: table {table} lacks columns {', '.join(missing)}; "
                    "expected a trainlab study store"
                )
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            found = None if row is None else json.loads(row[0])
        except (TypeError, ValueError):
            found = row[0]
        if found != SCHEMA_VERSION:
            raise StoreError(
                f"{self.db_path} has study store schema version {found}; "
                f"this trainlab reads version {SCHEMA_VERSION}"
            )

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

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
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
        if self._lock_fd is not None:  # already held by this store: the outer use releases it
            yield
            return
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StudyLocked(
                f"study folder {self.path} is in use by another trainlab process "
                f"(pid {_read_pid(self.lock_path)})"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            self._lock_fd = fd
            yield
        finally:
            self._lock_fd = None
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

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
                (key, _dumps(value)),
            )

    def get_meta(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else _loads(row[0])

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
                text = _dumps(dict(recipe))
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
                    keys = _changed_keys(json.loads(row[0]), json.loads(text))
                    shown = ", ".join(keys[:5]) + (", …" if len(keys) > 5 else "")
                    raise StoreError(
                        f"the study definition changed for variant {variant!r} (seed {seed}): "
                        f"its recipe differs from the one stored in {self.db_path} at {shown}; "
                        "use a new study folder for the changed study"
                    )

    def reset_unfinished(self) -> int:
        """Put ``running`` trials (left by a crash) back to ``pending``; returns how many."""
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

        A previous outcome (``ended``, ``error``) is cleared.
        """
        self._update(
            variant,
            seed,
            "status = 'running', started = ?, ended = NULL, error = NULL, attempts = attempts + 1",
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
    ) -> None:
        """Store a finished trial's results, status ``done`` and ``ended`` now, atomically."""
        self._update(
            variant,
            seed,
            "status = 'done', ended = ?, metrics = ?, history = ?, diagnosis = ?, "
            "probes = ?, error = NULL",
            (
                time.time(),
                _dumps(dict(metrics)),
                _dumps(list(history)),
                _dumps(None if diagnosis is None else dict(diagnosis)),
                _dumps(None if probes is None else dict(probes)),
            ),
        )

    def record_failed(self, variant: str, seed: int, error: str) -> None:
        """Mark a trial ``failed`` with its error message and ``ended`` now, atomically."""
        self._update(
            variant, seed, "status = 'failed', ended = ?, error = ?", (time.time(), str(error))
        )

    def trials(self, status: str | None = None) -> list[TrialRecord]:
        """All trials, or those with ``status``, in insertion order."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}; got {status!r}")
        sql = f"SELECT {_COLUMNS} FROM trials"
        params: tuple[str, ...] = ()
        if status is not None:
            sql += " WHERE status = ?"
            params = (status,)
        rows = self._conn.execute(sql + " ORDER BY rowid", params).fetchall()
        return [
            TrialRecord(
                variant=r[0],
                seed=int(r[1]),
                status=r[2],
                recipe=_loads(r[3]),
                started=r[4],
                ended=r[5],
                metrics=_loads(r[6]),
                history=_loads(r[7]),
                diagnosis=_loads(r[8]),
                probes=_loads(r[9]),
                error=r[10],
                attempts=int(r[11]),
            )
            for r in rows
        ]

    def counts(self) -> dict[str, int]:
        """How many trials have each status (every status present, zeros included)."""
        out = dict.fromkeys(STATUSES, 0)
        for status, n in self._conn.execute("SELECT status, COUNT(*) FROM trials GROUP BY status"):
            out[status] = int(n)
        return out
