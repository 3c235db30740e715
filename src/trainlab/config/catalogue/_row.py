"""One row of the catalogue: a strategy, its names in both languages, its key, code, paper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Status = Literal["built", "planned"]
STATUSES: tuple[str, ...] = get_args(Status)


@dataclass(frozen=True)
class Paper:
    """A reference: authors, year of publication, title."""

    authors: str
    year: int
    title: str

    def __str__(self) -> str:
        end = "" if self.title.endswith(("?", "!", ".")) else "."
        return f"{self.authors} ({self.year}). {self.title}{end}"


@dataclass(frozen=True)
class Section:
    """A part of the lecture: a short key, its Spanish title, the English one."""

    key: str
    spanish: str
    english: str


#: the lecture's parts, in its order
SECTIONS: tuple[Section, ...] = (
    Section("preprocesamiento", "Preprocesamiento de datos", "Data preprocessing"),
    Section("acrecentamiento", "Acrecentamiento de datos", "Data augmentation"),
    Section("transferencia", "Transferencia de conocimiento", "Transfer of knowledge"),
    Section("particion", "Partición de los datos", "Data partition"),
    Section("sobreajuste", "Sobreajuste", "Overfitting"),
    Section("regularizacion", "Regularización", "Regularization"),
    Section("convergencia", "Mejorando convergencia", "Improving convergence"),
)


@dataclass(frozen=True)
class Row:
    """One strategy of the catalogue.

    Args:
        section: key of the lecture part (:data:`SECTIONS`).
        topic: the lecture's slide (or the nearest one, for a strategy beyond it).
        spanish: the lecture's term, as the lecture writes it (ours where ``lecture`` is False).
        english: the English term.
        words: more search words, synonyms in both languages.
        keys: recipe keys (dotted paths of :class:`~trainlab.config.recipe.Recipe`).
        sets: ``--set KEY=VALUE`` overrides that switch it on (keys among ``keys``).
        symbols: the code, as dotted paths (module, then attribute).
        command: a ``trainlab`` command that shows or runs it.
        paper: where it comes from.
        study: the built-in study that shows it (``trainlab studies``).
        variant: the variant of ``study`` that switches it on.
        status: ``built``, or ``planned`` with what is ``missing``.
        missing: for a planned row, what is not built yet.
        lecture: False for a strategy built beyond the lecture.

    Example:
        >>> from trainlab.config.catalogue import find
        >>> row = find("paro temprano")[0]
        >>> row.english, row.sets[0], row.study, row.variant
        ('early stopping', 'early_stopping.enabled=true', 'lecture', 'early-stopping')
    """

    section: str
    topic: str
    spanish: str
    english: str
    words: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    command: str | None = None
    paper: Paper | None = None
    study: str | None = None
    variant: str | None = None
    status: Status = "built"
    missing: str = ""
    lecture: bool = True

    def __post_init__(self) -> None:
        problem = _problem(self)
        if problem:
            raise ValueError(f"catalogue row {self.spanish!r}: {problem}")


def _problem(row: Row) -> str | None:
    """What is wrong with ``row``, or None."""
    if row.section not in {s.key for s in SECTIONS}:
        return f"unknown section {row.section!r}"
    if not (row.topic and row.spanish and row.english):
        return "topic, spanish and english must not be empty"
    lists = (row.words, row.keys, row.sets, row.symbols)
    if not all(isinstance(v, tuple) and all(isinstance(s, str) for s in v) for v in lists):
        return "words, keys, sets and symbols must be tuples of strings"
    if row.status not in STATUSES:
        return f"status {row.status!r}; expected one of: {', '.join(STATUSES)}"
    if (row.status == "planned") != bool(row.missing):
        return "a planned row says what is missing, a built one does not"
    if row.status == "planned" and (row.symbols or row.sets or row.study):
        return "a planned row has no code, --set or study yet"
    if row.variant and not row.study:
        return f"variant {row.variant!r} needs its study"
    stray = [s for s in row.sets if s.split("=", 1)[0] not in row.keys]
    return f"--set {stray[0]!r}: its key is not among the row's keys" if stray else None
