"""The study store's SQLite schema: creating it, and refusing what is not ours.

``study.sqlite`` holds two tables, ``meta`` (JSON values by key, with the
store's ``schema_version``) and ``trials`` (one row per (variant, seed)). A
new, empty database gets the schema in one transaction and is switched to
write-ahead logging (https://www.sqlite.org/wal.html); an existing one is
validated first and never modified when it is foreign or of another schema
version (this trainlab reads version :data:`SCHEMA_VERSION`; a future version
adds its migration here).

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

SCHEMA_VERSION = 1
DB_FILE = "study.sqlite"
STATUSES = ("pending", "running", "done", "failed")

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


def validate(conn: sqlite3.Connection, db_path: Path | str) -> None:
    """Raise :class:`StoreError` unless the database has our tables, columns and version."""
    tables = table_names(conn)
    for table, wanted in TABLES.items():
        if table not in tables:
            found = ", ".join(tables) or "none"
            raise StoreError(
                f"{db_path} is a SQLite database without trainlab's tables "
                f"(found tables: {found}); expected tables meta and trials"
            )
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in wanted if c not in columns]
        if missing:
            raise StoreError(
                f"{db_path}: table {table} lacks columns {', '.join(missing)}; "
                "expected a trainlab study store"
            )
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        found = None if row is None else json.loads(row[0])
    except (TypeError, ValueError):
        found = row[0]
    if found != SCHEMA_VERSION:
        raise StoreError(
            f"{db_path} has study store schema version {found}; "
            f"this trainlab reads version {SCHEMA_VERSION}"
        )
