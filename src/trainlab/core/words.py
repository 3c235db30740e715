"""English counts that agree with their noun: "1 seed", "3 seeds".

For the command line's own lines (progress, looks, advice, comparisons); the
reports word counts in their language through their own tables
(:func:`trainlab.report.study_text.plural`, and ``{k:epoch|epochs}`` in the
diagnosis's messages).

Example:
    >>> from trainlab.core.words import count
    >>> count(1, "seed"), count(3, "seed"), count(2, "body", "bodies")
    ('1 seed', '3 seeds', '2 bodies')
"""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural (``plural``, else ``noun + "s"``) unless ``n`` is 1."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
