"""A vocabulary: tokens ↔ integer ids, fitted on the training split.

Id 0 is padding (:data:`PAD`, ``<pad>``) and id 1 the unknown token
(:data:`UNK`, ``<unk>``); the tokens seen at least ``min_count`` times follow
from id 2, the most frequent first, ties broken by the token itself (code
point order), so the same corpus always gives the same ids. ``max_size``
keeps only the most frequent tokens (it counts the learned tokens, not the two
reserved ids: ``len(vocab) <= max_size + 2``). The state is JSON.

Example:
    >>> vocab = Vocabulary.fit([["b", "a", "b"], ["c", "a", "b"]], min_count=2)
    >>> vocab.tokens
    ['<pad>', '<unk>', 'b', 'a']
    >>> vocab.encode(["a", "b", "zebra"])
    [3, 2, 1]
    >>> Vocabulary.from_state_dict(vocab.state_dict()).decode([2, 3, 1])
    ['b', 'a', '<unk>']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from trainlab.core.errors import ConfigError, DataError

#: the padding id (sequences are zero-padded)
PAD = 0
#: the id of a token the vocabulary does not hold
UNK = 1
#: the reserved tokens, by id
SPECIALS: tuple[str, ...] = ("<pad>", "<unk>")


class Vocabulary:
    """Tokens and their ids (build one with :meth:`fit` or :meth:`from_state_dict`).

    Args:
        tokens: the learned tokens, in id order from id 2 (no reserved tokens).
        counts: their training counts (same length; default: unknown, zeros).

    Example:
        >>> v = Vocabulary(["hola", "mundo"])
        >>> v["mundo"], v["adiós"], len(v), "hola" in v
        (3, 1, 4, True)
    """

    def __init__(self, tokens: Iterable[str] = (), counts: Iterable[int] | None = None) -> None:
        learned = list(tokens)
        self.counts: list[int] = [0] * len(learned) if counts is None else [int(c) for c in counts]
        if len(self.counts) != len(learned):
            raise ConfigError(
                f"vocabulary: {len(learned)} tokens but {len(self.counts)} counts (one each)"
            )
        self.tokens: list[str] = [*SPECIALS, *learned]
        self._ids: dict[str, int] = {t: i for i, t in enumerate(self.tokens)}
        if len(self._ids) != len(self.tokens):
            raise ConfigError("vocabulary: a token is listed twice (or is <pad> / <unk>)")

    @classmethod
    def fit(
        cls,
        token_lists: Iterable[Iterable[str]],
        min_count: int = 1,
        max_size: int | None = None,
    ) -> Vocabulary:
        """Learn the vocabulary of ``token_lists`` (one list of tokens per text).

        Args:
            token_lists: the training texts, tokenized.
            min_count: keep the tokens seen at least this many times (in all).
            max_size: keep at most this many tokens (the most frequent), None: all.

        Example:
            >>> Vocabulary.fit([["x", "y"], ["y", "z", "z"]], max_size=2).tokens[2:]
            ['y', 'z']
        """
        _check_limits(min_count, max_size)
        counter: Counter[str] = Counter()
        for tokens in token_lists:
            counter.update(tokens)
        for special in SPECIALS:
            counter.pop(special, None)
        kept = sorted(
            ((t, c) for t, c in counter.items() if c >= min_count), key=lambda tc: (-tc[1], tc[0])
        )
        kept = kept[:max_size] if max_size is not None else kept
        return cls([t for t, _ in kept], [c for _, c in kept])

    def __len__(self) -> int:
        """The number of ids, the two reserved ones included."""
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._ids

    def __getitem__(self, token: str) -> int:
        """The id of ``token`` (:data:`UNK` when it is not in the vocabulary)."""
        return self._ids.get(token, UNK)

    @property
    def learned(self) -> list[str]:
        """The learned tokens (ids 2, 3, …), without the reserved ones."""
        return self.tokens[len(SPECIALS) :]

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """The ids of ``tokens``; an unknown token is :data:`UNK`."""
        ids = self._ids
        return [ids.get(t, UNK) for t in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        """The tokens of ``ids`` (an id out of range is a :class:`DataError`)."""
        out = []
        for i in ids:
            if not 0 <= int(i) < len(self.tokens):
                raise DataError(f"vocabulary: id {int(i)} is not in [0, {len(self)})")
            out.append(self.tokens[int(i)])
        return out

    def state_dict(self) -> dict[str, Any]:
        """JSON: the learned tokens in id order and their counts."""
        return {"tokens": self.learned, "counts": list(self.counts)}

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> Vocabulary:
        """Rebuild a vocabulary from :meth:`state_dict`'s output."""
        try:
            tokens = [str(t) for t in state["tokens"]]
            counts = state.get("counts")
        except (KeyError, TypeError):
            raise ConfigError("vocabulary state: expected tokens (and counts)") from None
        return cls(tokens, counts)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} ids)"


def _check_limits(min_count: int, max_size: int | None) -> None:
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ConfigError(f"min_count: expected an integer >= 1, got {min_count!r}")
    bad_size = isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1
    if max_size is not None and bad_size:
        raise ConfigError(f"max_size: expected an integer >= 1 or None, got {max_size!r}")
