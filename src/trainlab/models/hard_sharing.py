"""Hard parameter sharing: the stages shared by every task, one head per task.

Caruana, *Multitask Learning*, Machine Learning 28, 1997; Ruder, *An Overview
of Multi-Task Learning in Deep Neural Networks*, 2017. The hidden layers are
one network that every task trains; each task adds only its own output layer,
so the shared representation has to serve them all (less room to overfit any
one of them). The model is a :class:`~trainlab.models.StagedModel` with the
single-task architecture's stages, so freezing and per-stage learning rates
of transfer work unchanged, and a :class:`~trainlab.models.heads.MultiHead`.

Example:
    >>> import torch
    >>> from trainlab.models import MLP
    >>> from trainlab.models.hard_sharing import hard_sharing
    >>> m = hard_sharing(MLP((4,), 10, widths=[8]), {"digit": 10, "parity": 2})
    >>> m.stage_names, {k: tuple(v.shape) for k, v in m(torch.zeros(3, 4)).items()}
    (['stage1'], {'digit': (3, 10), 'parity': (3, 2)})
"""

from __future__ import annotations

from collections.abc import Mapping

from trainlab.models._staged import StagedModel
from trainlab.models.heads import MultiHead, check_outputs, last_linear, task_head


def hard_sharing(base: StagedModel, outputs: Mapping[str, int]) -> StagedModel:
    """``base``'s stages, shared, and one head per task of ``outputs``.

    A task whose size is ``base``'s own output size keeps ``base``'s head (the
    first such task); the others get :func:`~trainlab.models.heads.task_head`
    copies with a fresh last layer. Building ``base`` for the main task's size
    therefore gives the main task exactly the single-task network of the same
    seed, and the other heads are drawn after it. ``base`` gives its modules to
    the new model; its config is kept, without ``num_classes``, plus
    ``outputs``, ``sharing`` and ``cross_stitch``.
    """
    outputs = check_outputs(outputs)
    own = last_linear(base.head)[1].out_features
    heads, kept = {}, False
    for name, size in outputs.items():
        keep = size == own and not kept
        heads[name] = base.head if keep else task_head(base.head, size)
        kept = kept or keep
    config = {k: v for k, v in base.config.items() if k != "num_classes"}
    config.update(outputs=outputs, sharing="hard", cross_stitch=False)
    return StagedModel(list(base.stages.named_children()), MultiHead(heads), config)
