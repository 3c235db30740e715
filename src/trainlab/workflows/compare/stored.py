"""A study folder read without touching it: its definition, trials and run facts.

A study folder may belong to a study that is running, to another machine or to
another trainlab version, so it is only read: :class:`StudyStore` (which creates
a missing store, switches it to write-ahead logging and migrates an older
schema) is not used. The database is opened read-only through a SQLite URI
(https://www.sqlite.org/uri.html): with ``mode=ro`` when a write-ahead log is
present (a running study, or one whose last writer was killed: the log holds
committed trials), else with ``immutable=1``, which reads the database file
alone and leaves no ``-wal`` or ``-shm`` file behind. Every schema version this
trainlab knows is read as it is (a version-1 store has no ``settings`` column,
and no ``diverged`` status).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.workflows.compare.stored import read_study
    >>> try:
    ...     read_study(Path(tempfile.mkdtemp()))
    ... except Exception as exc:
    ...     print(type(exc).__name__, "no study.sqlite" in str(exc))
    StoreError True
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainlab.core.errors import ConfigError
from trainlab.report.compare_results import RunRecord
from trainlab.report.definition import StudyDefinition
from trainlab.workflows.compare.definition import definition_from_dict
from trainlab.workflows.study.store_schema import (
    DB_FILE,
    SCHEMA_VERSION,
    StoreError,
    check_header,
    table_names,
)

#: the schema versions this reader understands (1: the first; 2 adds trial settings)
KNOWN_VERSIONS = tuple(range(1, max(SCHEMA_VERSION, 2) + 1))
#: the trial columns read, and the optional ones (newer schemas)
_COLUMNS = ("variant", "seed", "status", "recipe", "metrics")
_OPTIONAL = ("settings",)
#: meta keys read into their own fields; others are kept as ``StoredStudy.meta``
_META = ("schema_version", "spec", "last_run", "lang")


@dataclass(frozen=True)
class StoredTrial:
    """One stored trial: what a comparison reads of it (``settings``: None before schema 2)."""

    variant: str
    seed: int
    status: str
    recipe: Mapping[str, Any]
    metrics: Mapping[str, Any] | None
    settings: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class StoredStudy:
    """A study folder's store, read once.

    Attributes:
        folder: the study folder.
        schema_version: the store's schema version.
        definition: the study's stored definition.
        trials: every stored trial, in insertion order.
        last_run: the last invocation that trained trials (None when none did).
        lang: the report's language.
        meta: the store's other meta entries (none today; a later trainlab may add some).
    """

    folder: Path
    schema_version: int
    definition: StudyDefinition
    trials: tuple[StoredTrial, ...]
    last_run: RunRecord | None = None
    lang: str = "en"
    meta: Mapping[str, Any] = field(default_factory=dict)

    def planned(self, variant: str | None = None) -> list[StoredTrial]:
        """The trials of the definition (its variants × its seeds, and the seeds adaptive
        seeding added), as the study's report counts them; only ``variant``'s when given."""
        names, seeds = set(self.definition.variant_names), set(self.definition.seeds)
        adaptive = "adaptive" in self.meta
        return [
            t
            for t in self.trials
            if t.variant in names and (adaptive or t.seed in seeds) and variant in (None, t.variant)
        ]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per variant of the definition, how many planned trials have each status."""
        out: dict[str, dict[str, int]] = {v: {} for v in self.definition.variant_names}
        for t in self.planned():
            out[t.variant][t.status] = out[t.variant].get(t.status, 0) + 1
        return out

    def status_counts(self) -> Counter[str]:
        """How many planned trials have each status, over every variant."""
        return Counter(t.status for t in self.planned())


def read_study(folder: str | Path) -> StoredStudy:
    """Read the study folder ``folder`` without writing, locking or migrating anything.

    Raises:
        StoreError: the folder is missing, has no ``study.sqlite``, or holds a file that
            is not a trainlab study store of a schema version this trainlab reads.
        ConfigError: its stored study definition is missing or malformed.
    """
    folder = Path(folder)
    db = folder / DB_FILE
    if not folder.exists():
        raise StoreError(f"study folder {folder} does not exist; expected a folder with {DB_FILE}")
    if not folder.is_dir():
        raise StoreError(f"{folder} is a file; expected a study folder (with {DB_FILE})")
    if not db.is_file():
        raise StoreError(
            f"{folder} has no {DB_FILE}; expected a study folder written by trainlab study"
        )
    check_header(db)
    try:
        with _read_only(db) as conn:
            version = _check_schema(conn, db)
            meta = _meta(conn)
            trials = _trials(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{db}: unreadable study store ({exc})") from None
    if "spec" not in meta:
        raise ConfigError(f"{db} holds no study definition; expected one written by trainlab study")
    return StoredStudy(
        folder=folder,
        schema_version=version,
        definition=definition_from_dict(meta["spec"], str(db)),
        trials=trials,
        last_run=_last_run(meta.get("last_run"), db),
        lang=str(meta.get("lang") or "en"),
        meta={k: v for k, v in meta.items() if k not in _META},
    )


@contextlib.contextmanager
def _read_only(db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``db`` (see the module docstring for the two modes)."""
    wal = db.with_name(db.name + "-wal")
    mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?{mode}", uri=True, timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def _check_schema(conn: sqlite3.Connection, db: Path) -> int:
    """The store's schema version, after checking its tables are trainlab's."""
    tables = table_names(conn)
    if "meta" not in tables or "trials" not in tables:
        raise StoreError(
            f"{db} is a SQLite database without trainlab's tables "
            f"(found tables: {', '.join(tables) or 'none'}); expected tables meta and trials"
        )
    columns = {r[1] for r in conn.execute("PRAGMA table_info(trials)")}
    missing = [c for c in _COLUMNS if c not in columns]
    if missing:
        raise StoreError(f"{db}: table trials lacks columns {', '.join(missing)}")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = None if row is None else _json(row[0])
    if version not in KNOWN_VERSIONS:
        known = ", ".join(str(v) for v in KNOWN_VERSIONS)
        raise StoreError(
            f"{db} has study store schema version {version}; this trainlab reads versions {known}"
        )
    return int(version)


def _json(text: Any) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def _meta(conn: sqlite3.Connection) -> dict[str, Any]:
    return {str(k): _json(v) for k, v in conn.execute("SELECT key, value FROM meta")}


def _trials(conn: sqlite3.Connection) -> tuple[StoredTrial, ...]:
    columns = {r[1] for r in conn.execute("PRAGMA table_info(trials)")}
    wanted = [*_COLUMNS, *(c for c in _OPTIONAL if c in columns)]
    rows = conn.execute(f"SELECT {', '.join(wanted)} FROM trials ORDER BY rowid").fetchall()
    out = []
    for row in rows:
        r = dict(zip(wanted, row, strict=True))
        out.append(
            StoredTrial(
                variant=str(r["variant"]),
                seed=int(r["seed"]),
                status=str(r["status"]),
                recipe=_json(r["recipe"]) or {},
                metrics=None if r["metrics"] is None else _json(r["metrics"]),
                settings=None if r.get("settings") is None else _json(r["settings"]),
            )
        )
    return tuple(out)


def _last_run(stored: Any, db: Path) -> RunRecord | None:
    """The ``last_run`` entry the study runner writes when an invocation trains trials."""
    if stored is None:
        return None
    try:
        return RunRecord(
            wall_seconds=float(stored["wall_seconds"]),
            trials=int(stored["trials"]),
            workers=int(stored["workers"]),
            executor=str(stored["executor"]),
        )
    except (KeyError, TypeError, ValueError):
        raise StoreError(f"{db}: meta last_run is malformed: {stored!r}") from None
