"""Back-translation: a text translated to a pivot language and back.

Sennrich, Haddow & Birch 2016, "Improving Neural Machine Translation Models
with Monolingual Data" (ACL), https://arxiv.org/abs/1511.06709; used for
text classification by Xie et al. 2020, "Unsupervised Data Augmentation for
Consistency Training" (NeurIPS). English goes through Spanish and Spanish
through English.

A translation engine is anything with ``translate(texts, source, target) ->
list[str]`` (:class:`Translator`; a ``name`` attribute keys its cache
entries). :class:`ApertiumTranslator` runs the offline, rule-based Apertium
(``apertium eng-spa`` / ``spa-eng``) on a whole batch per call, one text per
paragraph, so that the translations come back aligned. :class:`TranslationCache`
keeps translations on disk (SQLite, ``$XDG_CACHE_HOME/trainlab/translations.sqlite``,
keyed by engine, direction and text; each batch is written in one
transaction, so a reader never sees half of it) and :class:`CachedTranslator`
asks the engine only for the texts not in it.

Back-translation is deterministic per text: the per-sample seed of the
contract is drawn but unused, so a changed text always comes out the same.

Example:
    >>> import numpy as np
    >>> from trainlab.augment.text.translation import BackTranslate
    >>> class Tag:  # a toy engine: marks each text with the language it went to
    ...     name = "tag"
    ...     def translate(self, texts, source, target):
    ...         return [f"{t} ({target})" for t in texts]
    >>> BackTranslate(translator=Tag(), cache=False)(["a cat"], np.random.default_rng(0))
    ['a cat (es) (en)']
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from trainlab.augment.text._base import TextAugmentation, TextParams, check_language, check_texts
from trainlab.augment.text.draws import Draws
from trainlab.core.cache_dir import user_cache_dir
from trainlab.core.errors import ConfigError, DataError

#: Apertium's language codes
APERTIUM_CODES = {"en": "eng", "es": "spa"}
#: the pivot language of each language
PIVOT = {"en": "es", "es": "en"}
INSTALL = "install it with `apt-get install apertium-eng-spa`"


@runtime_checkable
class Translator(Protocol):
    """A translation engine: ``translate(texts, source, target)``, one output per text."""

    def translate(self, texts: list[str], source: str, target: str) -> list[str]: ...


def engine_name(translator: Translator) -> str:
    """The name that keys ``translator``'s cache entries: its ``name``, else its class name.

    Example:
        >>> engine_name(ApertiumTranslator())
        'apertium'
    """
    return str(getattr(translator, "name", type(translator).__name__))


class ApertiumTranslator:
    """English ↔ Spanish through the offline Apertium engine (``apt-get install apertium-eng-spa``).

    Texts are sent in batches of ``batch_size``, one paragraph each (a blank
    line between texts; a text's own line breaks become spaces), so that the
    output paragraphs line up with the input ones. Unknown words are passed
    through unmarked (``apertium -u``).

    Args:
        command: the apertium executable.
        batch_size: texts per call.
        timeout: seconds a call may take.

    Example:
        >>> ApertiumTranslator().translate(["Hello"], "en", "fr")
        Traceback (most recent call last):
        ...
        trainlab.core.errors.ConfigError: apertium: no pair en → fr; expected en → es or es → en
    """

    name = "apertium"

    def __init__(self, command: str = "apertium", batch_size: int = 500, timeout: float = 600.0):
        if batch_size < 1:
            raise ValueError(f"batch_size: expected a whole number ≥ 1, got {batch_size}")
        self.command = command
        self.batch_size = int(batch_size)
        self.timeout = float(timeout)

    def mode(self, source: str, target: str) -> str:
        """Apertium's mode for a direction ("eng-spa"); ``ConfigError`` for an unknown one."""
        if source not in APERTIUM_CODES or PIVOT[source] != target:
            raise ConfigError(f"apertium: no pair {source} → {target}; expected en → es or es → en")
        return f"{APERTIUM_CODES[source]}-{APERTIUM_CODES[target]}"

    def check(self, source: str, target: str) -> None:
        """``DataError`` saying how to install Apertium unless it translates ``source`` →
        ``target`` here (its command is found and lists the pair)."""
        mode = self.mode(source, target)
        exe = self._exe()
        try:
            listed = subprocess.run(
                [exe, "-l"], capture_output=True, encoding="utf-8", timeout=60, check=False
            ).stdout.split()
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DataError(f"apertium: {exe} -l failed ({exc}); {INSTALL}") from None
        if mode not in listed:
            raise DataError(f"apertium: no {mode} pair installed; {INSTALL}")

    def _exe(self) -> str:
        exe = shutil.which(self.command)
        if exe is None:
            raise DataError(f"apertium: {self.command!r} not found; {INSTALL}")
        return exe

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """One translation per text, in order (an empty text stays empty)."""
        mode = self.mode(source, target)
        flat = [" ".join(t.split()) for t in check_texts(texts, "apertium")]
        out = list(flat)
        todo = [i for i, t in enumerate(flat) if t]
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start : start + self.batch_size]
            for i, text in zip(chunk, self._run(mode, [flat[i] for i in chunk]), strict=True):
                out[i] = text
        return out

    def _run(self, mode: str, texts: list[str]) -> list[str]:
        """One apertium call on non-empty one-line ``texts``."""
        exe = self._exe()
        try:
            done = subprocess.run(
                [exe, "-u", mode],
                input="\n\n".join(texts) + "\n",
                capture_output=True,
                encoding="utf-8",
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise DataError(f"apertium {mode}: no answer within {self.timeout:g} s") from None
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["failed"])[0]
            raise DataError(f"apertium {mode}: {why}; {INSTALL}")
        lines = done.stdout.rstrip("\n").split("\n")
        if len(lines) != 2 * len(texts) - 1:
            raise DataError(
                f"apertium {mode}: {len(texts)} texts in, {(len(lines) + 1) // 2} paragraphs out"
            )
        return [line.strip() for line in lines[::2]]

    def __repr__(self) -> str:
        return f"ApertiumTranslator(command={self.command!r}, batch_size={self.batch_size})"


class TranslationCache:
    """Translations on disk, keyed by engine, direction and text (SQLite).

    A cache that cannot be read or written (a read-only folder) is skipped, not an error.

    Args:
        path: the database file; None: ``translations.sqlite`` in the user cache folder.

    Example:
        >>> import tempfile, pathlib
        >>> cache = TranslationCache(pathlib.Path(tempfile.mkdtemp()) / "t.sqlite")
        >>> cache.put("apertium", "en", "es", {"dog": "perro"})
        >>> cache.get("apertium", "en", "es", ["dog", "cat"])
        {'dog': 'perro'}
    """

    _CHUNK = 500  # texts per query (SQLite's parameter limit is 999 on old builds)

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else user_cache_dir() / "translations.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30.0)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS translations (engine TEXT, source TEXT, target TEXT, "
            "text TEXT, translation TEXT, PRIMARY KEY (engine, source, target, text))"
        )
        return conn

    def get(self, engine: str, source: str, target: str, texts: Sequence[str]) -> dict[str, str]:
        """The cached translations of ``texts`` (those there are), text → translation."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(texts))
        try:
            with self._connect() as conn:
                for start in range(0, len(unique), self._CHUNK):
                    chunk = unique[start : start + self._CHUNK]
                    rows = conn.execute(
                        "SELECT text, translation FROM translations WHERE engine = ? AND "
                        f"source = ? AND target = ? AND text IN ({','.join('?' * len(chunk))})",
                        (engine, source, target, *chunk),
                    )
                    found.update(rows.fetchall())
        except (OSError, sqlite3.Error):
            return found
        return found

    def put(self, engine: str, source: str, target: str, pairs: dict[str, str]) -> None:
        """Store text → translation ``pairs`` in one transaction (all or none)."""
        rows = [(engine, source, target, text, out) for text, out in pairs.items()]
        try:
            conn = self._connect()
            try:
                with conn:
                    conn.executemany("INSERT OR REPLACE INTO translations VALUES (?,?,?,?,?)", rows)
            finally:
                conn.close()
        except (OSError, sqlite3.Error):
            return

    def __repr__(self) -> str:
        return f"TranslationCache(path={str(self.path)!r})"


class CachedTranslator:
    """A translator that asks its engine only for the texts its cache lacks.

    Args:
        translator: the engine.
        cache: where translations are kept; None: the default :class:`TranslationCache`.

    Example:
        >>> import tempfile, pathlib
        >>> class Upper:
        ...     calls = 0
        ...     def translate(self, texts, source, target):
        ...         Upper.calls += 1
        ...         return [t.upper() for t in texts]
        >>> cache = TranslationCache(pathlib.Path(tempfile.mkdtemp()) / "t.sqlite")
        >>> engine = CachedTranslator(Upper(), cache)
        >>> engine.translate(["a", "b"], "en", "es"), engine.translate(["b", "a"], "en", "es")
        (['A', 'B'], ['B', 'A'])
        >>> Upper.calls
        1
    """

    def __init__(self, translator: Translator, cache: TranslationCache | None = None) -> None:
        if not callable(getattr(translator, "translate", None)):
            raise ValueError(
                f"translator: expected an object with translate(texts, source, target), "
                f"got {type(translator).__name__}"
            )
        self.translator = translator
        self.cache = TranslationCache() if cache is None else cache
        self.name = engine_name(translator)

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """One translation per text, from the cache where it has them."""
        texts = check_texts(texts, "translator")
        known = self.cache.get(self.name, source, target, texts)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            new = self.translator.translate(missing, source, target)
            if len(new) != len(missing):
                raise DataError(
                    f"translator {self.name}: {len(missing)} texts in, {len(new)} translations out"
                )
            fresh = dict(zip(missing, (str(t) for t in new), strict=True))
            self.cache.put(self.name, source, target, fresh)
            known.update(fresh)
        return [known[t] for t in texts]

    def __repr__(self) -> str:
        return f"CachedTranslator({self.translator!r}, {self.cache!r})"


class BackTranslate(TextAugmentation):
    """Translate to the pivot language and back (``back-translate``).

    All the texts a draw changes go to the engine in one batch each way. The
    result for a text depends on that text only (the seed is unused).

    Args:
        language: the texts' language, ``"en"`` (pivot Spanish) or ``"es"`` (pivot English).
        translator: the engine; None: :class:`ApertiumTranslator`, checked at once
            (a ``DataError`` says how to install Apertium when it is missing).
        cache: keep translations on disk (:class:`CachedTranslator`).
        cache_path: the cache file; None: the user cache folder's ``translations.sqlite``.
        p: probability that a text is changed.
    """

    def __init__(
        self,
        language: str = "en",
        translator: Translator | None = None,
        cache: bool = True,
        cache_path: str | Path | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.language = check_language(language)
        if translator is None:  # fail before training, not in its first batch
            translator = ApertiumTranslator()
            translator.check(self.language, PIVOT[self.language])  # there and back
            translator.check(PIVOT[self.language], self.language)
        engine = translator
        if not callable(getattr(engine, "translate", None)):
            raise ValueError(
                f"translator: expected an object with translate(texts, source, target), "
                f"got {type(engine).__name__}"
            )
        self.translator: Translator = (
            CachedTranslator(engine, TranslationCache(cache_path)) if cache else engine
        )

    def round_trip(self, texts: list[str]) -> list[str]:
        """``texts`` translated to the pivot language and back."""
        if not texts:
            return []
        pivot = PIVOT[self.language]
        there = self.translator.translate(list(texts), self.language, pivot)
        return self.translator.translate(list(there), pivot, self.language)

    def apply(self, texts: Sequence[str], params: TextParams) -> list[str]:
        texts = check_texts(texts, type(self).__name__)
        self.check_params(texts, params)
        out = list(texts)
        chosen = [i for i, flag in enumerate(params["apply"]) if flag]
        for i, text in zip(chosen, self.round_trip([texts[i] for i in chosen]), strict=True):
            out[i] = text
        return out

    def augment(self, text: str, rng: Draws) -> str:
        return self.round_trip([text])[0]

    def extra_repr(self) -> str:
        return f"language={self.language!r}, translator={self.translator!r}, p={self.p}"
