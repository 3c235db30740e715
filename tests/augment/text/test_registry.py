"""Every registered text augmentation honours the contract of ``augment.text._base``.

p = 0 is the identity, a draw replays, a sample's output does not depend on
the other samples of the batch, the input list is not changed, p = 1 changes
a long text, and a bad ``p`` raises ``ValueError``. Those that learn from a
corpus (a ``fit`` method) are fitted on a small one first.
"""

from __future__ import annotations

import copy
import inspect
import pickle

import numpy as np
import pytest

from trainlab.augment.text._base import TextAugmentation
from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.augment.text.wordnet import find_wordnet
from trainlab.core.errors import ConfigError, DataError

NAMES = TEXT_AUGMENTATIONS.names()
TEXTS = [
    "The quick brown fox jumps over the lazy dog, and I believe it really does.",
    "A happy child reads a good book in the big library every day.",
    "Separate the car from the house before tomorrow.",
    "",
    "Hi",
]
#: what those that learn from a corpus are fitted on: the texts' words, in varied company
CORPUS = [*TEXTS[:3] * 3, *(" ".join(reversed(t.split())) for t in TEXTS[:3])] * 2
#: their corpus settings: every word kept, small fast vectors
FIT_ARGS = {"word-embedding": {"min_count": 1, "vector_size": 16, "epochs": 3}}


def _has_wordnet() -> bool:
    try:
        find_wordnet()
    except DataError:
        return False
    return True


def make(name: str, fake_translator, tmp_path, **kwargs) -> TextAugmentation:
    """The augmentation ``name`` with its defaults; a fake engine for back-translation."""
    if name == "synonym" and not _has_wordnet():
        pytest.skip("WordNet is not installed (apt-get install wordnet-base)")
    if name == "back-translate":
        kwargs |= {"translator": fake_translator, "cache_path": tmp_path / "t.sqlite"}
    if "rate" in _params(name):
        kwargs.setdefault("rate", 0.3)
    if "min_count" in _params(name):
        kwargs = {"min_count": 1, **FIT_ARGS.get(name, {}), **kwargs}
    aug = TEXT_AUGMENTATIONS.get(name)(**kwargs)
    if hasattr(aug, "fit"):
        assert aug.fit(CORPUS) is aug and aug.fitted
    return aug


def _params(name: str) -> set[str]:
    return set(inspect.signature(TEXT_AUGMENTATIONS.get(name)).parameters)


def test_the_table_names_every_operation():
    assert sorted(
        ["char-insert", "char-substitute", "char-delete", "char-swap", "keyboard", "word-swap",
         "word-delete", "word-insert", "misspell", "synonym", "back-translate", "word-embedding",
         "word-tfidf"]
    ) == NAMES  # fmt: skip
    assert TEXT_AUGMENTATIONS.get("typo") is TEXT_AUGMENTATIONS.get("keyboard")
    for alias in ("word2vec", "embedding-neighbours"):
        assert TEXT_AUGMENTATIONS.get(alias) is TEXT_AUGMENTATIONS.get("word-embedding")
    for alias in ("tfidf", "bag-of-words"):
        assert TEXT_AUGMENTATIONS.get(alias) is TEXT_AUGMENTATIONS.get("word-tfidf")


@pytest.mark.parametrize("name", NAMES)
def test_p0_is_the_identity(name, fake_translator, tmp_path):
    aug = make(name, fake_translator, tmp_path, p=0.0)
    assert aug(TEXTS, np.random.default_rng(0)) == TEXTS
    assert fake_translator.calls == []  # nothing to translate: the engine is not asked


@pytest.mark.parametrize("name", NAMES)
def test_a_draw_replays_and_the_input_is_untouched(name, fake_translator, tmp_path):
    aug = make(name, fake_translator, tmp_path)
    texts = list(TEXTS)
    before = copy.deepcopy(texts)
    params = aug.sample_params(texts, np.random.default_rng(1))
    first = aug.apply(texts, params)
    assert aug.apply(texts, params) == first
    assert texts == before
    assert isinstance(first, list) and first is not texts
    assert len(first) == len(texts) and all(isinstance(t, str) for t in first)


@pytest.mark.parametrize("name", NAMES)
def test_samples_are_independent(name, fake_translator, tmp_path):
    """Text i's output depends on text i and its own params only, not on its neighbours."""
    aug = make(name, fake_translator, tmp_path)
    params = aug.sample_params(TEXTS, np.random.default_rng(2))
    whole = aug.apply(TEXTS, params)
    for i in range(len(TEXTS)):
        alone = aug.apply([TEXTS[i]], {k: v[i : i + 1] for k, v in params.items()})
        assert alone == [whole[i]]
    other = ["Something entirely different, my friend.", *TEXTS[1:]]
    assert aug.apply(other, params)[1:] == whole[1:]


@pytest.mark.parametrize("name", NAMES)
def test_p1_changes_a_long_text(name, fake_translator, tmp_path):
    aug = make(name, fake_translator, tmp_path)
    out = aug(TEXTS[:3], np.random.default_rng(3))
    assert all(a != b for a, b in zip(out, TEXTS[:3], strict=True))


@pytest.mark.parametrize("name", NAMES)
def test_params_and_pickling(name, fake_translator, tmp_path):
    aug = make(name, fake_translator, tmp_path)
    params = aug.sample_params(TEXTS, np.random.default_rng(4))
    assert params["apply"].dtype == bool and params["apply"].shape == (len(TEXTS),)
    assert params["seed"].dtype == np.uint64 and params["seed"].shape == (len(TEXTS),)
    if name != "back-translate":  # the fake engine is a test-local class
        clone = pickle.loads(pickle.dumps(aug))  # data loader workers get a copy
        assert clone.apply(TEXTS, params) == aug.apply(TEXTS, params)
    assert type(aug).__name__ in repr(aug)


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_is_one_clear_error(name, fake_translator, tmp_path):
    with pytest.raises(ValueError, match=r"^p: expected a probability"):
        make(name, fake_translator, tmp_path, p=1.5)
    aug = make(name, fake_translator, tmp_path)
    with pytest.raises(ValueError, match="expected a list of str"):
        aug("a bare string", np.random.default_rng(0))
    with pytest.raises(ValueError, match="text 1 is int"):
        aug(["ok", 3], np.random.default_rng(0))
    params = aug.sample_params(TEXTS, np.random.default_rng(0))
    with pytest.raises(ValueError, match="one value per text"):
        aug.apply(TEXTS[:2], params)


FITTED = [n for n in NAMES if hasattr(TEXT_AUGMENTATIONS.get(n), "fit")]


def test_those_that_learn_from_a_corpus_are_the_neighbour_replacements():
    assert FITTED == ["word-embedding", "word-tfidf"]


@pytest.mark.parametrize("name", FITTED)
def test_unfitted_is_one_clear_error(name):
    aug = TEXT_AUGMENTATIONS.get(name)()
    assert not aug.fitted
    with pytest.raises(ValueError, match=rf"^{name}: not fitted; call fit\(texts\)"):
        aug(TEXTS, np.random.default_rng(0))


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ConfigError, match="expected one of: back-translate, char-delete"):
        TEXT_AUGMENTATIONS.get("char-flip")
