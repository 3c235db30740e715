"""Text in a run: the recipe's ``preprocess.text`` fitted on the training split, then tensors.

A text data set's inputs are strings. :func:`fit_text_pipeline` fits the
tokenizer, stop words, stemming and vocabulary of ``preprocess.text`` on the
training texts only (or rebuilds a checkpoint's), and :func:`text_inputs`
turns any split into the model's inputs: a bag of words (N, V) float32 for an
MLP, or token id sequences (N, L) int64 for the text models. The fitted state
is JSON, kept in the checkpoint's preprocessing under ``text``.

Example:
    >>> import numpy as np
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.text_setup import fit_text_pipeline, text_inputs
    >>> texts = np.array(["the cat sat", "a dog ran", "the dog sat"], dtype=object)
    >>> r = Recipe().override({"preprocess.text.representation": "counts"})
    >>> pipe = fit_text_pipeline(r, texts)
    >>> tuple(text_inputs(pipe, texts).shape)
    (3, 6)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError


def fit_text_pipeline(
    recipe: Recipe, train_texts: np.ndarray, fitted: dict[str, Any] | None = None
):
    """The run's text pipeline: ``fitted`` (a checkpoint's) rebuilt, or fitted on the texts."""
    from trainlab.preprocess.text.pipeline import TextPipeline

    if fitted is not None:
        return TextPipeline.from_state_dict(fitted)
    t = recipe.preprocess.text
    try:
        pipe = TextPipeline(
            language=t.language,
            lowercase=t.lowercase,
            strip_punctuation=t.strip_punctuation,
            strip_digits=t.strip_digits,
            strip_accents=t.strip_accents,
            stop_words=t.stop_words,
            stem=t.stem,
            ngrams=tuple(t.ngrams),
            min_count=t.min_count,
            max_size=t.max_size,
            representation=t.representation,
            max_length=t.max_length,
        )
    except ValueError as exc:
        raise ConfigError(f"preprocess.text: {exc}") from None
    return pipe.fit(list(train_texts))


def text_inputs(pipeline, texts) -> torch.Tensor:
    """The model's inputs for ``texts``: (N, V) float32 bags or (N, L) int64 id sequences."""
    return torch.from_numpy(np.ascontiguousarray(pipeline.transform(list(texts))))


def text_augmentations(recipe: Recipe, data) -> list:
    """The recipe's text augmentations, built in the data's language and fitted on the
    training texts, once per prepared data and ``augment`` list (kept in
    ``data.text_augmentations``, which a study's variants may share).

    Raises:
        ConfigError, DataError: naming ``augment[i]`` and the augmentation, for an
            argument, a language or a corpus it cannot work with.
    """
    import json

    from trainlab.augment.text.pipeline import build_text_augmentations, fit_text_augmentations

    language = recipe.preprocess.text.language
    key = json.dumps([recipe.augment, language], sort_keys=True, default=str)
    if data.text_augmentations is None:  # one prepared data may serve several variants
        data.text_augmentations = {}
    if key in data.text_augmentations:
        return data.text_augmentations[key]

    train = [str(t) for t in data.texts["train"]]
    augs = build_text_augmentations(recipe.augment, language)
    for i, (spec, aug) in enumerate(zip(recipe.augment, augs, strict=True)):
        try:
            fit_text_augmentations([aug], train)
        except (ConfigError, DataError) as exc:
            raise type(exc)(f"augment[{i}] ({spec['name']}): {exc}") from None
    data.text_augmentations[key] = augs
    return augs


def text_augment_callback(recipe: Recipe, data, seed: int):
    """The training batches' text augmentation (:class:`~trainlab.engine.text_augment.TextAugment`):
    the recipe's augmentations (:func:`text_augmentations`) on the training texts."""
    from trainlab.engine.text_augment import TextAugment

    augs = text_augmentations(recipe, data)
    train = [str(t) for t in data.texts["train"]]
    return TextAugment(augs, train, lambda texts: text_inputs(data.text, texts), seed)


def training_split(data) -> Any:
    """What the trainer fits on: the training split, and for text each example's ``index``
    (the text augmentations look its string up)."""
    if data.texts is None:
        return data.train
    from trainlab.engine.text_augment import INDEX

    x, y = data.train
    return {"x": x, "y": y, INDEX: torch.arange(len(x))}


def transfer_text(recipe: Recipe, data):
    """What word vectors need of a text run (vocabulary, ``pretrain``'s corpus); None otherwise.

    ``pretrain.corpus: training`` is every text of the training part: the labelled
    split and the texts ``split.train_size`` left out (``pool``), never a validation
    or test text; another corpus is a built-in one or a file
    (:func:`~trainlab.workflows.word2vec.corpus_lines`). Either is tokenized as the
    model's texts, so every word the vectors know is one of its tokens.
    """
    if data.text is None:
        return None
    from trainlab.engine.transfer.vectors import TextInputs

    def sentences() -> list[list[str]]:
        corpus = recipe.pretrain.corpus
        if corpus == "training":
            lines = [*data.texts["train"], *data.texts.get("pool", [])]
        else:
            from trainlab.workflows.word2vec import corpus_lines

            lines = corpus_lines(corpus, where="pretrain.corpus")
        return [data.text.words(str(line)) for line in lines]

    return TextInputs(list(data.text.vocabulary.tokens), sentences)


def vocabulary_size(pipeline) -> int:
    """Ids a text model's embedding needs (padding and unknown included)."""
    return len(pipeline.vocabulary)
