"""A recipe's text augmentations: built in the data's language, and drawn text by text.

:func:`build_text_augmentations` builds the ``augment`` list of a text recipe
from the text registry; an augmentation that has a ``language`` (or a
keyboard ``layout``) and is not given one takes the data's
(``preprocess.text.language``), so a Spanish recipe gets Spanish keyboards,
misspellings and translations without saying so twice.

:func:`text_params` draws the contract's parameters (``apply``, ``seed``) of
each text from its own key, ``(seed, epoch, member, augmentation, index)``:
what happens to a text in an epoch depends on that key only, not on the
batch it falls in, the batch size or the order of the epoch, so a resumed
run replays the same augmented texts.

Example:
    >>> from trainlab.augment.text.pipeline import build_text_augmentations, text_params
    >>> augs = build_text_augmentations([{"name": "keyboard"}, {"name": "misspell"}], "es")
    >>> [repr(a) for a in augs]  # doctest: +ELLIPSIS
    ["Keyboard(layout='qwerty-es', ...)", "Misspell(language='es', ...)"]
    >>> p = text_params(1.0, [4, 9], key=(0, 1, 0, 0))
    >>> alone = text_params(1.0, [9], key=(0, 1, 0, 0))  # text 9 draws the same in any batch
    >>> p["apply"].tolist(), bool(alone["seed"][0] == p["seed"][1])
    ([True, True], True)
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np

from trainlab.augment.text._base import LANGUAGES, TextAugmentation, TextParams
from trainlab.augment.text.draws import TextDraws, mix
from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.core.errors import ConfigError


def is_text_augmentation(spec: dict[str, Any]) -> bool:
    """Whether ``spec`` names a text augmentation (one of ``trainlab.augment.text``).

    Example:
        >>> is_text_augmentation({"name": "typo"}), is_text_augmentation({"name": "flip"})
        (True, False)
    """
    return str(spec.get("name")) in TEXT_AUGMENTATIONS


#: the arguments that follow the data's language, and the value each takes
_LANGUAGE_ARGUMENTS = {"language": "{language}", "layout": "qwerty-{language}"}


def with_language(spec: dict[str, Any], language: str | None) -> dict[str, Any]:
    """``spec`` with the data's ``language`` where the augmentation takes one and none is given.

    Example:
        >>> with_language({"name": "keyboard"}, "es")
        {'name': 'keyboard', 'layout': 'qwerty-es'}
        >>> with_language({"name": "keyboard", "layout": "qwerty-en"}, "es")["layout"]
        'qwerty-en'
    """
    if language not in LANGUAGES or not is_text_augmentation(spec):
        return dict(spec)
    params = inspect.signature(TEXT_AUGMENTATIONS.get(str(spec["name"]))).parameters
    out = dict(spec)
    for key, value in _LANGUAGE_ARGUMENTS.items():
        if key in params and key not in out:
            out[key] = value.format(language=language)
    return out


def build_text_augmentations(
    specs: Sequence[dict[str, Any]], language: str | None = None
) -> list[TextAugmentation]:
    """The text augmentations of ``specs``, in order; every name must be a text one.

    Raises:
        ConfigError: naming ``augment[i]``, for an augmentation that works on tensors
            (images, signals, audio) or a bad argument.
    """
    from trainlab.augment.pipeline import build_augmentation

    out = []
    for i, spec in enumerate(specs):
        if not is_text_augmentation(spec):
            raise ConfigError(
                f"augment[{i}]: {spec.get('name')!r} works on tensors (images, signals, audio), "
                "but the data are text; the text augmentations are: "
                + ", ".join(TEXT_AUGMENTATIONS.names())
            )
        out.append(
            build_augmentation(
                with_language(spec, language), where=f"augment[{i}]", registry=TEXT_AUGMENTATIONS
            )
        )
    return out


def fit_text_augmentations(
    augs: Sequence[TextAugmentation], texts: Sequence[str]
) -> list[TextAugmentation]:
    """``augs``, each that learns from a corpus (a ``fit`` method) and is not yet fitted
    fitted on ``texts`` (the training texts: word replacement by neighbours)."""
    corpus = [str(t) for t in texts]
    if not corpus:  # nothing to learn from (arguments checked before the data are read)
        return list(augs)
    for aug in augs:
        if hasattr(aug, "fit") and not getattr(aug, "fitted", False):
            aug.fit(corpus)
    return list(augs)


def text_params(p: float, index: Sequence[int], key: Sequence[int]) -> TextParams:
    """The contract's ``apply`` and ``seed`` for the texts ``index``, each from ``(*key, i)``.

    ``p``: the augmentation's probability of changing a text.
    """
    base = mix(*key)
    apply, seed = [], []
    for i in index:
        draws = TextDraws(mix(base, i))
        apply.append(draws.random() < p)
        seed.append(draws.next64())
    return {"apply": np.array(apply, dtype=bool), "seed": np.array(seed, dtype=np.uint64)}
