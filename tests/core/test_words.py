"""English counts agree with their noun."""

import pytest

from trainlab.core.words import count


@pytest.mark.parametrize(
    ("n", "noun", "plural", "said"),
    [
        (0, "seed", None, "0 seeds"),
        (1, "seed", None, "1 seed"),
        (2, "seed", None, "2 seeds"),
        (1, "body", "bodies", "1 body"),
        (4, "body", "bodies", "4 bodies"),
    ],
)
def test_count(n, noun, plural, said):
    assert count(n, noun, plural) == said
