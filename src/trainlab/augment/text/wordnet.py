"""A small reader of the WordNet 3.0 database files (wndb(5)), for synonyms.

Miller 1995, "WordNet: a lexical database for English" (Communications of
the ACM 38(11)). The database is read where Debian's ``wordnet-base`` puts it
(``/usr/share/wordnet``; ``$TRAINLAB_WORDNET`` or ``root`` elsewhere): a
lemma's synsets are the byte offsets listed on its line of ``index.<pos>``,
and a synset's words are read from ``data.<pos>`` at that offset. Inflected
forms are reduced to lemmas as WordNet's ``morphy`` does: the exception lists
(``<pos>.exc``, e.g. "geese" → "goose") and the suffix rules ("cars" → "car",
"running" → "run"). Indexes and synsets are read once and cached.

Example:
    >>> from trainlab.augment.text.wordnet import WordNet, find_wordnet
    >>> wn = WordNet()  # doctest: +SKIP
    >>> wn.synsets("car", "noun")[0].words  # doctest: +SKIP
    ('car', 'auto', 'automobile', 'machine', 'motorcar')
    >>> find_wordnet("/nonexistent")
    Traceback (most recent call last):
    ...
    trainlab.core.errors.DataError: WordNet: no database in /nonexistent (...); install it ...
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trainlab.augment._base import check_choice
from trainlab.core.errors import DataError

#: where Debian's wordnet-base installs the database
DEFAULT_ROOT = Path("/usr/share/wordnet")
#: the parts of speech, in WordNet's order, with their file suffixes
POS = ("noun", "verb", "adj", "adv")
#: morphy's detachment rules: (suffix, replacement) per part of speech
SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "noun": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
             ("shes", "sh"), ("men", "man"), ("ies", "y")),
    "verb": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
             ("ing", "e"), ("ing", "")),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "adv": (),
}  # fmt: skip
#: an adjective's syntactic marker, e.g. ready_to_hand(p)
_MARKER = re.compile(r"\([a-z]+\)$")


@dataclass(frozen=True)
class Synset:
    """One WordNet synset: its part of speech, byte offset and words (spaces, not ``_``)."""

    pos: str
    offset: int
    words: tuple[str, ...]


def find_wordnet(root: str | Path | None = None) -> Path:
    """The WordNet database folder: ``root``, ``$TRAINLAB_WORDNET`` or /usr/share/wordnet.

    A folder without the database files is a ``DataError`` saying how to install it.
    """
    env = os.environ.get("TRAINLAB_WORDNET", "").strip()
    folder = Path(root) if root is not None else Path(env) if env else DEFAULT_ROOT
    if not all((folder / f"{kind}.{pos}").is_file() for kind in ("data", "index") for pos in POS):
        raise DataError(
            f"WordNet: no database in {folder} (data.noun, index.noun, ...); install it with "
            "`apt-get install wordnet-base` or set $TRAINLAB_WORDNET"
        )
    return folder


@lru_cache(maxsize=8)
def read_index(root: Path, pos: str) -> dict[str, tuple[int, ...]]:
    """Each lemma of ``index.<pos>`` → its synsets' byte offsets in ``data.<pos>``."""
    table: dict[str, tuple[int, ...]] = {}
    with open(root / f"index.{pos}", encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):  # the licence header
                continue
            parts = line.split()
            n = int(parts[2])
            table[parts[0]] = tuple(int(o) for o in parts[len(parts) - n :])
    return table


@lru_cache(maxsize=8)
def read_exceptions(root: Path, pos: str) -> dict[str, tuple[str, ...]]:
    """Each irregular form of ``<pos>.exc`` → its lemmas ("geese" → ("goose",))."""
    path = root / f"{pos}.exc"
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as f:
        return {p[0]: tuple(p[1:]) for p in (line.split() for line in f) if len(p) > 1}


@lru_cache(maxsize=65536)
def read_synset(root: Path, pos: str, offset: int) -> Synset:
    """The synset at byte ``offset`` of ``data.<pos>``."""
    with open(root / f"data.{pos}", "rb") as f:
        f.seek(offset)
        parts = f.readline().decode("utf-8").split(" ")
    if int(parts[0]) != offset:
        raise DataError(f"{root / f'data.{pos}'}: no synset at byte {offset}; is the file intact?")
    count = int(parts[3], 16)
    words = (_MARKER.sub("", w).replace("_", " ") for w in parts[4 : 4 + 2 * count : 2])
    return Synset(pos, offset, tuple(words))


class WordNet:
    """English synonyms from the WordNet 3.0 database files.

    Args:
        root: the database folder; None: ``$TRAINLAB_WORDNET`` or /usr/share/wordnet.

    Example:
        >>> wn = WordNet()  # doctest: +SKIP
        >>> wn.lemmas("geese", "noun"), wn.lemmas("running", "verb")  # doctest: +SKIP
        (['goose'], ['run'])
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = find_wordnet(root)

    def lemmas(self, word: str, pos: str) -> list[str]:
        """The lemmas of ``pos`` that ``word`` is a form of (WordNet's morphy), in order."""
        check_choice("pos", pos, POS)
        key = word.strip().lower().replace(" ", "_")
        index = read_index(self.root, pos)
        found = [key] if key in index else []
        found += [e for e in read_exceptions(self.root, pos).get(key, ()) if e in index]
        for suffix, repl in SUFFIXES[pos]:
            if key.endswith(suffix) and len(key) > len(suffix):
                base = key[: len(key) - len(suffix)] + repl
                if base in index:
                    found.append(base)
        return list(dict.fromkeys(found))

    def synsets(self, word: str, pos: str | None = None) -> list[Synset]:
        """The synsets of ``word`` (any inflected form), of ``pos`` or of every part of speech."""
        out = []
        for part in POS if pos is None else (check_choice("pos", pos, POS),):
            index = read_index(self.root, part)
            for lemma in self.lemmas(word, part):
                out += [read_synset(self.root, part, o) for o in index[lemma]]
        return list(dict.fromkeys(out))

    def synonyms(self, word: str, pos: str | None = None) -> list[str]:
        """The other words of ``word``'s synsets, most frequent sense first, without repeats."""
        own = {word.strip().lower(), *(lemma.replace("_", " ") for p in
               (POS if pos is None else (pos,)) for lemma in self.lemmas(word, p))}  # fmt: skip
        words = (w for s in self.synsets(word, pos) for w in s.words)
        return [w for w in dict.fromkeys(words) if w.lower() not in own]

    def __repr__(self) -> str:
        return f"WordNet(root={str(self.root)!r})"
