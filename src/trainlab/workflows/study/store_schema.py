"""The study store's SQLite schema: creating it, migrating it, refusing what is not ours.

``study.sqlite`` holds two tables, ``meta`` (JSON values by key, with the
store's ``schema_version``) and ``trials`` (one row per (variant, seed)). A
new, empty database gets the schema in one transaction and is switched to
write-ahead logging (https://www.sqlite.org/wal.html); an existing one is
validated first and never modified when it is foreign or of an unknown schema
version. This trainlab reads version :data:`SCHEMA_VERSION`:

- version 1: statuses ``pending``, ``running``, ``done``, ``failed``;
- version 2: a trial may also be ``diverged`` (its loss became NaN or
  infinite: a result, not an error), and a ``settings`` column keeps the
  settings it ran under (JSON ``{"threads", "torch", "device"}``).

A version-1 store is migrated when opened (:func:`migrate`), in one
transaction: SQLite cannot change a ``CHECK`` constraint in place, so the
trials table is rebuilt (https://www.sqlite.org/lang_altertable.html, "making
other kinds of table schema changes") with every row kept, in its order, and
``settings`` NULL (not recorded).

Example:
    >>> import sqlite3
    >>> from trainlab.workflows.study.store_schema import create_schema, table_names, validate
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> with conn:
    ...     create_schema(conn)
    >>> table_names(conn)
    ['meta', 'trials']
    >>> validate(conn, "memory")
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from trainlab.core.errors import TrainlabError

SCHEMA_VERSION = 2
DB_FILE = "study.sqlite"
STATUSES = ("pending", "running", "done", "failed", "diverged")

_SQLITE_HEADER = b"SQLite format 3\x00"
TABLES = {
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
        "settings",
    ),
}
#: the trials columns of a version-1 store (every column but ``settings``)
_V1_COLUMNS = TABLES["trials"][:-1]


def _trials_table(name: str) -> str:
    """The ``CREATE TABLE`` statement of the trials table, as ``name``."""
    return f"""
    CREATE TABLE {name} (
        variant   TEXT    NOT NULL,
        seed      INTEGER NOT NULL,
        status    TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'running', 'done', 'failed', 'diverged')),
        recipe    TEXT    NOT NULL,
        started   REAL,
        ended     REAL,
        metrics   TEXT,
        history   TEXT,
        diagnosis TEXT,
        probes    TEXT,
        error     TEXT,
        attempts  INTEGER NOT NULL DEFAULT 0,
        settings  TEXT,
        PRIMARY KEY (variant, seed)
    )
    """


_INDEX = "CREATE INDEX trials_status ON trials (status)"
_SCHEMA = (
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    _trials_table("trials"),
    _INDEX,
)


class StoreError(TrainlabError):
    """A study store is unreadable, foreign, of another schema version, or in use."""


def check_header(db_path: Path) -> None:
    """Refuse a non-empty file that does not start with SQLite's header."""
    if not db_path.exists():
        return
    if db_path.is_dir():
        raise StoreError(f"{db_path} is a folder; expected a SQLite database file")
    try:
        with db_path.open("rb") as f:
            head = f.read(len(_SQLITE_HEADER))
    except OSError as e:
        raise StoreError(f"{db_path}: cannot read the study store ({e})") from e
    if head and head != _SQLITE_HEADER:
        raise StoreError(
            f"{db_path} is not a SQLite database (it starts with {head[:8]!r}); "
            "expected a trainlab study store"
        )


def table_names(conn: sqlite3.Connection) -> list[str]:
    """The database's own tables, sorted."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return sorted(r[0] for r in rows)


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables and record :data:`SCHEMA_VERSION` (inside the caller's transaction)."""
    for statement in _SCHEMA:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
        (json.dumps(SCHEMA_VERSION),),
    )


def stored_version(conn: sqlite3.Connection, db_path: Path | str) -> object:
    """The schema version a store of ours records; :class:`StoreError` when it is not ours.

    The tables and the columns every version has are checked; the version is not.
    """
    tables = table_names(conn)
    for table, wanted in {**TABLES, "trials": _V1_COLUMNS}.items():
        if table not in tables:
            found = ", ".join(tables) or "none"
            raise StoreError(
                f"{db_path} is a SQLite database without trainlab's tables "
                f"(found tables: {found}); expected tables meta and trials"
            )
        _check_columns(conn, db_path, table, wanted)
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return None if row is None else json.loads(row[0])
    except (TypeError, ValueError):
        return row[0]


def _check_columns(
    conn: sqlite3.Connection, db_path: Path | str, table: str, wanted: tuple[str, ...]
) -> None:
    columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise StoreError(
            f"{db_path}: table {table} lacks columns {', '.join(missing)}; "
            "expected a trainlab study store"
        )


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a version-1 store to :data:`SCHEMA_VERSION` (inside the caller's transaction).

    The trials table is rebuilt with the new status check and a NULL
    ``settings`` column; every row is kept, in its insertion order.
    """
    columns = ", ".join(_V1_COLUMNS)
    conn.execute(_trials_table("trials_v2"))
    conn.execute(f"INSERT INTO trials_v2 ({columns}) SELECT {columns} FROM trials ORDER BY rowid")
    conn.execute("DROP TABLE trials")
    conn.execute("ALTER TABLE trials_v2 RENAME TO trials")
    conn.execute(_INDEX)
    conn.execute(
        "UPDATE meta SET value = ? WHERE key = 'schema_version'", (json.dumps(SCHEMA_VERSION),)
    )


def validate(conn: sqlite3.Connection, db_path: Path | str) -> None:
    """Raise :class:`StoreError` unless the database has our tables, columns and version."""
    found = stored_version(conn, db_path)
    if found != SCHEMA_VERSION:
        raise StoreError(
            f"{db_path} has study store schema version {found}; "
            f"this trainlab reads version {SCHEMA_VERSION} (and migrates version 1)"
        )
    _check_columns(conn, db_path, "trials", TABLES["trials"])
