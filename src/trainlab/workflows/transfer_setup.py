"""A recipe's ``transfer:`` section, resolved once: the source model, the data, the weights.

:meth:`Transfer.from_recipe` loads the checkpoint once (``{seed}`` replaced
by the recipe's seed). The one object then does the three things a transfer
asks of a run, in the order the run needs them:

1. :meth:`Transfer.adapt_data` checks the target data's preprocessing against
   the checkpoint's before anything trains, says what differs, and by default
   adopts the checkpoint's (``transfer.preprocessing``: ``adopt``, ``own`` or
   ``fail``), since a pretrained network only fits inputs normalized as its
   own were (Yosinski et al., 2014, "How transferable are features in deep
   neural networks?");
2. :meth:`Transfer.build_model` builds the untrained model (the recipe's
   architecture, or the checkpoint's own);
3. :meth:`Transfer.attach` copies the first stages into it and returns the
   named parameter groups and the callback that freezes on schedule.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.models import build_model
    >>> from trainlab.workflows.outputs import save_run_model
    >>> from trainlab.workflows.prepare import prepare_data
    >>> r = Recipe.load("wine-mlp")
    >>> data = prepare_data(r)
    >>> base = Path(tempfile.mkdtemp()) / "model.safetensors"
    >>> save_run_model(base, r, data, [build_model(r.model, data.in_shape, 3)], metrics={})
    >>> r = r.override({"transfer.checkpoint": str(base), "transfer.strategy": "head-only"})
    >>> transfer = Transfer.from_recipe(r)
    >>> transfer.adapt_data(r, data) is data  # the same preprocessing: nothing to adopt
    True
    >>> model = transfer.build_model(r.model, data.in_shape, len(data.classes))
    >>> setup = transfer.attach(model, data.classes)
    >>> setup.info["copied"], setup.plan.frozen, setup.info["head"]
    (['stage1', 'stage2'], ['stage1', 'stage2'], 'copied')
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.config.recipe import ModelConfig, Recipe, TransferConfig
from trainlab.core.errors import ConfigError, DataError
from trainlab.engine.transfer.callback import TransferCallback
from trainlab.engine.transfer.copy import counterpart
from trainlab.engine.transfer.normalization import preprocessing_mismatches
from trainlab.engine.transfer.param_groups import stage_param_groups
from trainlab.engine.transfer.plans import TransferPlan, build_plan
from trainlab.engine.transfer.source import TransferSource, checkpoint_path, load_source
from trainlab.engine.transfer.vectors import (
    PretrainedVectors,
    TextInputs,
    VectorsSource,
    is_vectors_path,
    load_vectors_source,
)
from trainlab.models import StagedModel, build_model, model_from_config
from trainlab.workflows.prepare import PreparedData, prepare_data, preprocess_state


@dataclass(frozen=True)
class TransferSetup:
    """A model that received its stages, and how it is to be trained.

    Attributes:
        plan: what the strategy froze, when, and at which learning rates.
        groups: the optimizer's named parameter groups (one per stage, plus the head).
        callback: applies ``plan`` every epoch; it goes first among the callbacks.
        info: what was copied and frozen, as saved in the checkpoint's ``transfer``.
    """

    plan: TransferPlan
    groups: list[dict[str, Any]]
    callback: TransferCallback
    info: dict[str, Any]


@dataclass(frozen=True)
class Transfer:
    """A recipe's transfer with its source model loaded (build with :meth:`from_recipe`).

    Args:
        config: the recipe's ``transfer:`` section.
        source: the checkpoint's model member to copy from.
        base_lr: the optimizer's learning rate (the head's; stage rates derive from it).
    """

    config: TransferConfig
    source: TransferSource | VectorsSource
    base_lr: float
    seed: int = 0

    @classmethod
    def from_recipe(cls, recipe: Recipe) -> Transfer | None:
        """The recipe's transfer, its checkpoint loaded once; None without ``transfer.checkpoint``.

        Raises:
            CheckpointError: the file is missing, a pickle, not a trainlab model, or
                lacks ``transfer.member``.
        """
        cfg = recipe.transfer
        if recipe.pretrain.enabled:  # stages the run trains first (pretrain_setup)
            from trainlab.workflows.pretrain_setup import pretraining_source

            return cls(cfg, pretraining_source(recipe), recipe.optimizer.lr, recipe.seed)
        if cfg.checkpoint is None:
            return None
        path = cfg.checkpoint.replace("{seed}", str(recipe.seed))
        if is_vectors_path(path):  # word vectors for a text model's embedding
            return cls(cfg, load_vectors_source(path), recipe.optimizer.lr, recipe.seed)
        source = load_source(checkpoint_path(cfg.checkpoint, recipe.seed), cfg.member)
        return cls(cfg, source, recipe.optimizer.lr, recipe.seed)

    def adapt_data(self, recipe: Recipe, data: PreparedData) -> PreparedData:
        """``data`` prepared as the checkpoint's model saw its inputs (``transfer.preprocessing``).

        Raises:
            DataError: the preprocessing differs and ``transfer.preprocessing`` is ``fail``,
                or it is ``adopt`` and only one of the two is audio.
        """
        self.bind(data)
        own = preprocess_state(data)
        mismatches = preprocessing_mismatches(self.source.preprocess, own)
        if not mismatches:
            return data
        said = "; ".join(mismatches)
        differs = f"transfer: the data's preprocessing differs from the checkpoint's ({said}); "
        mode = self.config.preprocessing
        if mode == "adopt" and ("audio" in (self.source.preprocess or {})) != ("audio" in own):
            source = "audio" if "audio" in (self.source.preprocess or {}) else "no audio"
            raise DataError(
                f"transfer: the checkpoint's model read {source}, the data are {data.modality}: "
                "its preprocessing cannot be adopted; set transfer.preprocessing: own to keep "
                "the data's (e.g. an image model's stages on spectrograms)"
            )
        if mode == "fail":
            raise DataError(
                differs + "set transfer.preprocessing to adopt (use the checkpoint's) "
                "or own (keep the data's)"
            )
        if mode == "own":
            warnings.warn(
                differs + "keeping the data's own, as transfer.preprocessing asks", stacklevel=2
            )
            return data
        warnings.warn(
            differs + "adopting the checkpoint's (set transfer.preprocessing: own to keep "
            "the data's)",
            stacklevel=2,
        )
        adopted = prepare_data(
            recipe, fitted=_adoptable(self.source.preprocess, recipe, data.modality)
        )
        left = preprocessing_mismatches(self.source.preprocess, preprocess_state(adopted))
        kept = f"; still differing: {'; '.join(left)}" if left else ""
        adopted.summary["notes"] = [
            *adopted.summary.get("notes", []),
            f"preprocessing adopted from {self.source.path.name} ({said}){kept}",
        ]
        return adopted

    def bind(self, data: PreparedData) -> None:
        """Train a ``pretrain`` source on (or for) the run's data, the first time only."""
        from trainlab.workflows.pretrain_setup import PretrainedModel

        if isinstance(self.source, PretrainedModel):
            self.source.bind(data)

    def build_model(
        self, model: ModelConfig, in_shape: tuple[int, ...], num_classes: int
    ) -> StagedModel:
        """A new, untrained model: the recipe's ``model``, or the checkpoint's architecture.

        With ``transfer.architecture: checkpoint`` the checkpoint's own model (an
        imported torchvision or timm model included) is rebuilt for ``in_shape``
        and ``num_classes``, so its head fits the data's classes.
        """
        if self.config.architecture == "recipe":
            return build_model(model, in_shape, num_classes)
        config = counterpart(self.source.model.config, in_shape)  # a cnn on clips: frame CNN
        if "outputs" in config:  # a multitask model: one head per target
            raise ConfigError(
                "transfer.architecture: checkpoint: the checkpoint is a multitask model; "
                "use architecture: recipe (its stages are copied into the recipe's model)"
            )
        return model_from_config({**config, "num_classes": num_classes})

    def attach(
        self,
        model: StagedModel,
        classes: list[str],
        text: TextInputs | None = None,
        member: int = 0,
        data: PreparedData | None = None,
    ) -> TransferSetup:
        """Copy the checkpoint's stages into ``model`` and plan its training.

        ``text``: a text model's vocabulary and corpus (word vectors are looked up by it);
        ``data``: the run's data, which a ``pretrain`` source trains on when it has not yet.

        Raises:
            CheckpointError: the checkpoint's stages do not fit ``model``.
            ConfigError: the strategy does not fit the copied stages.
            DataError: ``transfer.head: copy`` for other classes than the checkpoint's.
        """
        if data is not None:
            self.bind(data)
        source, cfg = self.source, self.config
        n = cfg.stages if cfg.stages is not None else len(source.stage_names)
        head = self._copies_head(classes, n)
        seed = self.seed + member  # each member's own random rows for words without a vector
        copied, found = source.copy_into(model, n, head=head, text=text, seed=seed)
        plan = build_plan(cfg, model.stage_names, copied=len(copied), base_lr=self.base_lr)
        groups = stage_param_groups(model, self.base_lr, plan.lrs)
        info = {
            **source.describe(),
            "strategy": plan.strategy,
            "copied": copied,
            "head": "copied" if head else "new",
            "frozen": plan.frozen,
            "lrs": plan.lrs,
            "unfreeze_every": plan.unfreeze_every,
            **found,
        }
        return TransferSetup(plan, groups, TransferCallback(plan), info)

    def _copies_head(self, classes: list[str], n: int) -> bool:
        """Whether the head is copied: asked for, or ``auto`` with every stage and class."""
        source, choice = self.source, self.config.head
        same_classes = list(classes) == source.classes
        if choice == "copy" and not same_classes:
            shown = ", ".join(source.classes[:6]) + ("…" if len(source.classes) > 6 else "")
            raise DataError(
                f"transfer.head copy: the checkpoint predicts {len(source.classes)} classes "
                f"({shown}), the data has {len(classes)}; set transfer.head: new"
            )
        return choice == "copy" or (
            choice == "auto" and same_classes and n == len(source.stage_names)
        )


def _adoptable(state: dict[str, Any], recipe: Recipe, modality: str) -> dict[str, Any]:
    """A checkpoint's preprocess state, for the recipe's data of ``modality`` to adopt.

    A video model's numeric preprocessing acted frame by frame: on images it acts
    on each image, and its video pipeline does not apply. Video data adopting a
    video model's take what its channels mean (flow, masks, flow scale) but keep
    the recipe's frames and sampling: a frame CNN reads any number. An image
    model's state is adopted by video data as it is: each frame is one of its
    images (the frame size stays the data's; a frame CNN pools over any size).
    """
    if "video" not in state:
        return state
    if modality == "video":
        v = recipe.preprocess.video
        mine = {"frames": v.frames, "sampling": v.sampling, "motion": v.motion}
        config = {**state["video"]["config"], **mine}
        return {**state, "video": {**state["video"], "config": config}}
    pipeline = {k: v for k, v in state["pipeline"].items() if k != "frames"}
    return {**{k: v for k, v in state.items() if k != "video"}, "pipeline": pipeline}


def pretrained_vectors(recipe: Recipe) -> PretrainedVectors:
    """The word vectors ``pretrain`` trains in the run (on first use), as a transfer source.

    Raises:
        ConfigError: ``transfer.checkpoint`` names other weights to start from.
    """
    from trainlab.preprocess.text.word2vec import Word2VecConfig

    p = recipe.pretrain
    if recipe.transfer.checkpoint is not None:
        raise ConfigError(
            f"pretrain.method: {p.method} trains the weights the model starts from, and "
            "transfer.checkpoint names others; set only one of the two"
        )
    config = Word2VecConfig(
        architecture=p.architecture,
        vector_size=p.vector_size or recipe.model.embedding_dim,
        window=p.window,
        min_count=p.min_count,
        epochs=p.epochs,
        negative=p.negative,
        seed=recipe.seed,
    )
    corpus = "the training texts" if p.corpus == "training" else p.corpus
    name = f"{p.method} on {corpus}"
    digest = hashlib.sha256(f"{name}: {config}".encode()).hexdigest()  # keys a study's cache
    return PretrainedVectors(Path(name), None, digest, config=config)


def describe_transfer(info: dict[str, Any]) -> str:
    """One line on what a run's transfer copied and froze (its checkpoint's ``transfer``).

    Example:
        >>> describe_transfer({"copied": ["stage1"], "checkpoint": "a.safetensors",
        ...     "strategy": "freeze-first-n", "frozen": ["stage1"], "head": "new"})
        'stage1 from a.safetensors (freeze-first-n; frozen: stage1; new head)'
    """
    frozen = info.get("frozen") or []
    found = f"; {info['coverage']:.0%} of the words have a vector" if "coverage" in info else ""
    return (
        f"{', '.join(info['copied'])} from {info['checkpoint']} ({info['strategy']}; "
        f"{'frozen: ' + ', '.join(frozen) if frozen else 'nothing frozen'}; "
        f"{info['head']} head{found})"
    )
