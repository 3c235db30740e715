"""Splits whose inputs a fitted pipeline encodes (text, video): tensors and what describes them.

Text and video data are encoded by a pipeline of their own (a vocabulary, a
frame sampler), fitted on the training split; the numeric preprocessing is
then the identity, its state recording the inputs' shape and type as for any
run. :func:`encoded_data` builds the :class:`~trainlab.workflows.prepare.PreparedData`
both share.

Example:
    >>> from trainlab.workflows.prepare_encoded import encoded_data
    >>> callable(encoded_data)
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from trainlab.core.errors import DataError
from trainlab.data._bundle import DataBundle, Target
from trainlab.preprocess.pipeline import Preprocessor


def encoded_data(
    bundle: DataBundle,
    splits,
    targets: list[Target],
    fitted: dict[str, Any] | None,
    encode: Callable[[Any], torch.Tensor],
    summary: dict[str, Any],
    preprocessor: Preprocessor | None = None,
    **fields: Any,
):
    """The splits encoded by ``encode`` (a split's ``x`` → the model's inputs).

    ``summary``: what the modality adds to the data's summary; ``preprocessor``: the
    numeric preprocessing ``encode`` applies, recorded as the data's (default: the
    checkpoint's, else the identity); ``fields``: the modality's own
    :class:`~trainlab.workflows.prepare.PreparedData` fields (``text``, ``video``, …).
    """
    from trainlab.workflows.prepare import PreparedData, data_summary, labels

    def tensors(part):
        if part is None or len(part) == 0:
            return None
        return encode(part.x), labels(part, targets)

    train = tensors(splits.train)
    if train is None:
        raise DataError(f"dataset {bundle.name!r}: the training split is empty")
    if preprocessor is not None:
        pre = preprocessor
    elif fitted is not None:
        pre = Preprocessor.from_state_dict(fitted["pipeline"])
    else:  # the identity, recording the inputs' shape and type
        pre = Preprocessor(pixel_scale=False, normalize="none").fit(train[0][:1].numpy())
    return PreparedData(
        train=train,
        val=tensors(splits.val),
        test=tensors(splits.test),
        classes=list(bundle.classes),
        modality=bundle.modality,
        in_shape=tuple(train[0].shape[1:]),
        preprocessor=pre,
        image=None,
        summary=data_summary(bundle, targets, train[0].shape[1:], splits, **summary),
        targets=list(targets),
        **fields,
    )
