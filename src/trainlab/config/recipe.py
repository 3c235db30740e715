"""Recipes: one validated, YAML-serializable description of a training run.

A recipe names the data, the split, the preprocessing, the model and its
initialization, the regularization strategies, the optimizer and schedule,
and the training budget. Every section forbids unknown keys, so a typo is an
error that names the key, never a silently ignored setting. Overrides use
dotted paths (``model.dropout=0.3``), from Python and from the command line,
which is what makes a study's variants plain data.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> r = Recipe().override(["model.dropout=0.3", "train.epochs=2"])
    >>> r.model.dropout, r.train.epochs
    (0.3, 2)
    >>> Recipe.from_yaml_text(r.to_yaml()) == r
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from trainlab.config.audio import AudioConfig
from trainlab.config.meta import MetaConfig
from trainlab.config.pretrain import PretrainConfig
from trainlab.config.section import Section
from trainlab.config.task import MultitaskConfig, TaskConfig
from trainlab.config.text import TextConfig
from trainlab.config.track import TrackConfig
from trainlab.config.train import TrainConfig
from trainlab.config.video import VideoConfig
from trainlab.core.errors import ConfigError
from trainlab.core.yamlio import is_empty_yaml, parse_yaml, read_named


class DataConfig(Section):
    """Which data set, and its loader's options."""

    dataset: str = "digits"
    #: loader options, e.g. ``{path: data.csv, target: label}`` for ``csv``
    options: dict[str, Any] = Field(default_factory=dict)
    #: keep at most this many examples (stratified), for quick runs
    limit: int | None = Field(default=None, gt=0)
    #: keep only these classes (names or indices), relabelled 0..k-1 in this order
    classes: list[str | int] | None = Field(default=None, min_length=1)
    #: stream batches from the files (image, audio, video folders): true, false, or auto above
    #: memory_budget
    stream: bool | Literal["auto"] = "auto"
    #: GiB the in-memory path may take (decoded examples and their float copy) before auto streams
    memory_budget: float = Field(default=4.0, gt=0.0)
    #: worker processes that decode a streamed data set's files
    workers: int = Field(default=2, ge=0)

    @field_validator("classes")
    @classmethod
    def _distinct(cls, value: list[str | int] | None) -> list[str | int] | None:
        if value is not None and len({str(c) for c in value}) != len(value):
            raise ValueError(f"classes repeat: {value}")
        return value


class SplitConfig(Section):
    """How the examples are partitioned. Nothing is fitted outside the training part."""

    method: Literal["holdout", "kfold"] = "holdout"
    #: fraction of the data held out for validation
    val: float = Field(default=0.1, ge=0.0, lt=1.0)
    #: fraction held out for the test; ignored when the data set has its own test split
    test: float = Field(default=0.2, ge=0.0, lt=1.0)
    stratify: bool = True
    #: k of k-fold cross-validation (``method: kfold``); the test part is held out first
    folds: int = Field(default=5, ge=2)
    #: which fold is the validation part (0-based)
    fold: int = Field(default=0, ge=0)
    #: keep at most this many training examples (stratified), drawn after validation and
    #: test are held out: smaller training sets judged on the same test set (None: all);
    #: a number below 1 is a fraction of the training part (0.01: 1% of the labels), as in
    #: scikit-learn's ``train_test_split``
    train_size: int | float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _check(self) -> SplitConfig:
        if self.val + self.test >= 1.0:
            raise ValueError(f"val + test must be below 1, got {self.val} + {self.test}")
        if self.fold >= self.folds:
            raise ValueError(f"fold must be below folds ({self.folds}), got {self.fold}")
        if isinstance(self.train_size, float) and self.train_size >= 1:
            raise ValueError(
                f"train_size: expected a count (an integer) or a fraction below 1, "
                f"got {self.train_size}"
            )
        return self


class ImageConfig(Section):
    """Uniform size and aspect ratio for images of mixed shapes."""

    size: tuple[int, int] | None = None
    #: pad (letterbox), crop (center crop) or squish (plain resize) to ``size``
    fit: Literal["pad", "crop", "squish"] = "pad"
    #: channels to convert to (1 grayscale, 3 RGB); None keeps the data's own
    channels: int | None = Field(default=None, ge=1, le=4)


class PreprocessConfig(Section):
    """Table encoding, value scaling and normalization, fitted on the training split only."""

    #: scale uint8 pixels to [0, 1]
    pixel_scale: bool = True
    #: standard, minmax, unit-norm or none
    normalize: str = "standard"
    #: statistics per feature, per channel or one global value
    per: Literal["feature", "channel", "global"] = "channel"
    image: ImageConfig = Field(default_factory=ImageConfig)
    #: audio: band filter, pre-emphasis, spectrogram and its normalization (the model's front end)
    audio: AudioConfig = Field(default_factory=AudioConfig)
    #: text: tokenizer, stop words, stemming, vocabulary, bag of words or sequences
    text: TextConfig = Field(default_factory=TextConfig)
    #: video: frame sampling (uniform, by motion), optical flow channels, motion masks
    video: VideoConfig = Field(default_factory=VideoConfig)
    #: a table's text columns as one-hot columns (unseen categories all zeros) or ordinal codes
    categorical: Literal["onehot", "ordinal"] = "onehot"
    #: a table's missing cells: none (refused), or filled with the training mean, median
    #: or most frequent value (categorical columns: the most frequent category)
    impute: Literal["none", "mean", "median", "most-frequent"] = "none"

    @field_validator("categorical", "impute", mode="before")
    @classmethod
    def _spelling(cls, value: Any) -> Any:
        """``one-hot``, ``most_frequent`` and capitals are accepted spellings."""
        if not isinstance(value, str):
            return value
        value = value.strip().lower().replace("_", "-")
        return "onehot" if value == "one-hot" else value


class ModelConfig(Section):
    """Architecture: an ordered list of stages plus a head.

    ``name: auto`` (the default) picks the model by the data's modality when the
    run's data are loaded: ``cnn`` for images, ``mlp`` for tables, ``cnn1d`` for
    1-D signals (:mod:`trainlab.workflows.model_choice`).
    """

    #: the ``name`` that stands for "the model of the data's modality"
    AUTO: ClassVar[str] = "auto"

    #: a registered model (``trainlab components``), or auto: by the data's modality
    name: str = "auto"
    #: stage widths: units (mlp) or channels (cnn, cnn1d), one stage each
    widths: list[int] = Field(default_factory=lambda: [32, 64, 128], min_length=1)
    activation: str = "relu"
    batch_norm: bool = True
    dropout: float = Field(default=0.0, ge=0.0, lt=1.0)
    #: convolutions per stage (cnn, cnn1d)
    convs_per_stage: int = Field(default=2, ge=1)
    kernel_size: int = Field(default=3, ge=1)
    #: video frame-cnn: how per-frame feature maps are pooled over the clip's T frames
    #: (mean, or max as Ng et al.'s conv pooling); a 2-D cnn's weights fit either way
    temporal_pool: Literal["mean", "max"] = "mean"
    #: text models: the size of a word vector
    embedding_dim: int = Field(default=64, ge=1)
    #: text models: the vocabulary's size (None: the fitted vocabulary's, set from the data)
    vocab_size: int | None = Field(default=None, ge=2)

    @model_validator(mode="after")
    def _check(self) -> ModelConfig:
        if any(w <= 0 for w in self.widths):
            raise ValueError(f"widths must be positive, got {self.widths}")
        if self.kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd, got {self.kernel_size}")
        return self


class InitConfig(Section):
    """Weight initialization by name (see ``trainlab inits``)."""

    scheme: str = "default"
    #: standard deviation for ``scheme: normal``
    std: float = Field(default=0.1, gt=0.0)


class RegularizationConfig(Section):
    """Penalties and noise, each off at zero."""

    #: λ of the lecture's  λ/2 ‖θ‖₁  added to the (mean) loss
    l1: float = Field(default=0.0, ge=0.0)
    #: λ of the lecture's  λ/2 ‖θ‖₂²  added to the (mean) loss
    l2: float = Field(default=0.0, ge=0.0)
    #: whether the penalties include biases (and normalization parameters)
    penalize_bias: bool = False
    #: standard deviation of Gaussian noise added to training inputs
    input_noise: float = Field(default=0.0, ge=0.0)
    #: label smoothing ε (noise on outputs)
    label_smoothing: float = Field(default=0.0, ge=0.0, lt=1.0)
    #: probability of replacing a training label with another class (noise on outputs)
    label_flip: float = Field(default=0.0, ge=0.0, lt=1.0)
    #: standard deviation of Gaussian noise added to the weights at each training step
    weight_noise: float = Field(default=0.0, ge=0.0)


class EarlyStoppingConfig(Section):
    """Stop when the monitored value stops improving."""

    enabled: bool = False
    #: a validation column of the task: val_loss, val_acc, val_rmse, val_digit_acc, …
    monitor: str = "val_loss"
    patience: int = Field(default=5, ge=1)
    min_delta: float = Field(default=0.0, ge=0.0)
    restore_best: bool = True

    @field_validator("monitor")
    @classmethod
    def _validation_column(cls, value: str) -> str:
        if not value.startswith("val_") or len(value) <= 4:
            raise ValueError(
                f"expected a validation column (val_loss, val_acc, val_rmse, …), got {value!r}"
            )
        return value


class EnsembleConfig(Section):
    """Several members averaged, or Monte-Carlo dropout at evaluation."""

    #: members trained with seeds seed, seed+1, …; probabilities averaged
    members: int = Field(default=1, ge=1)
    #: forward passes with dropout on at evaluation (0: off)
    mc_dropout: int = Field(default=0, ge=0)


class OptimizerConfig(Section):
    """Optimizer by name (sgd, adam, adamw)."""

    name: str = "adam"
    lr: float = Field(default=1e-3, gt=0.0)
    momentum: float = Field(default=0.9, ge=0.0, lt=1.0)
    nesterov: bool = False
    #: coupled L2 for sgd and adam; decoupled decay for adamw (Loshchilov & Hutter, 2019)
    weight_decay: float = Field(default=0.0, ge=0.0)
    betas: tuple[float, float] = (0.9, 0.999)


class ScheduleConfig(Section):
    """Learning-rate schedule by name (constant, step, cosine, onecycle)."""

    name: str = "constant"
    #: step: multiply by ``gamma`` every ``step_size`` epochs
    step_size: int = Field(default=10, ge=1)
    gamma: float = Field(default=0.1, gt=0.0, le=1.0)
    #: cosine: final learning rate as a fraction of the initial one
    min_lr_ratio: float = Field(default=0.0, ge=0.0, le=1.0)
    #: onecycle: fraction of the steps spent warming up
    pct_start: float = Field(default=0.25, gt=0.0, lt=1.0)


class TestTimeConfig(Section):
    """Test-time augmentation: average predicted probabilities over views of each input."""

    #: add the horizontally flipped view (images)
    flip: bool = False
    #: add views shifted by this many pixels (samples) in each direction (0: none)
    shift: int = Field(default=0, ge=0)


class TransferConfig(Section):
    """Start from a trained checkpoint: copy its first stages, then freeze or fine-tune them.

    The lecture's transfer slide (Razavian et al., 2014; Yosinski et al., 2014):
    strategies are ``head-only`` (train the last layer), ``freeze-first-n``,
    ``fine-tune-all``, ``differential-lr`` (per-stage learning rates; Howard &
    Ruder, 2018; Singh et al., 2018) and ``gradual-unfreeze`` (see ``trainlab
    components``).
    """

    #: a trainlab model checkpoint; ``{seed}`` is replaced by the run's seed (None: off)
    checkpoint: str | None = None
    #: how many stages to copy, from the input side (None: every stage)
    stages: int | None = Field(default=None, ge=1)
    strategy: str = "fine-tune-all"
    #: freeze-first-n: how many of the first stages stay frozen (None: every copied stage)
    freeze: int | None = Field(default=None, ge=0)
    #: per-stage learning rates, input side first (the head keeps optimizer.lr)
    lrs: list[float] | None = None
    #: learning rates decaying from the head down: the stage k below the head gets lr·decayᵏ
    lr_decay: float | None = Field(default=None, gt=0.0, le=1.0)
    #: gradual-unfreeze: one more stage, from the top, every this many epochs
    unfreeze_every: int = Field(default=1, ge=1)
    #: the head: copy it (same classes only), build a new one, or auto (copy when it fits)
    head: Literal["auto", "new", "copy"] = "auto"
    #: on a preprocessing mismatch: adopt the checkpoint's, keep the data's own, or fail
    preprocessing: Literal["adopt", "own", "fail"] = "adopt"
    #: which ensemble member of the checkpoint to copy
    member: int = Field(default=0, ge=0)
    #: the new model's architecture: the recipe's model section, or the checkpoint's own
    #: (with a head for the data's classes; e.g. an imported torchvision or timm model)
    architecture: Literal["recipe", "checkpoint"] = "recipe"

    @field_validator("lrs")
    @classmethod
    def _positive(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and (not value or any(v <= 0 for v in value)):
            raise ValueError(f"learning rates must be positive, got {value}")
        return value

    @property
    def enabled(self) -> bool:
        return self.checkpoint is not None


class Recipe(Section):
    """A complete, validated training recipe."""

    name: str = "run"
    seed: int = 0
    data: DataConfig = Field(default_factory=DataConfig)
    split: SplitConfig = Field(default_factory=SplitConfig)
    task: TaskConfig = Field(default_factory=TaskConfig)
    multitask: MultitaskConfig = Field(default_factory=MultitaskConfig)
    preprocess: PreprocessConfig = Field(default_factory=PreprocessConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    init: InitConfig = Field(default_factory=InitConfig)
    regularization: RegularizationConfig = Field(default_factory=RegularizationConfig)
    early_stopping: EarlyStoppingConfig = Field(default_factory=EarlyStoppingConfig)
    ensemble: EnsembleConfig = Field(default_factory=EnsembleConfig)
    optimizer: OptimizerConfig = Field(default_factory=OptimizerConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    train: TrainConfig = Field(default_factory=TrainConfig)
    #: training-batch augmentations, in order: ``[{name: affine, rotation: 15}, …]``
    augment: list[dict[str, Any]] = Field(default_factory=list)
    test_time: TestTimeConfig = Field(default_factory=TestTimeConfig)
    transfer: TransferConfig = Field(default_factory=TransferConfig)
    pretrain: PretrainConfig = Field(default_factory=PretrainConfig)
    meta: MetaConfig = Field(default_factory=MetaConfig)
    track: TrackConfig = Field(default_factory=TrackConfig)

    @field_validator("augment")
    @classmethod
    def _check_augment(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for i, spec in enumerate(value):
            if not isinstance(spec.get("name"), str):
                raise ValueError(f"item {i} needs a name, e.g. {{name: affine}}")
        return value

    # -- construction ------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any, *, source: str = "recipe") -> Recipe:
        """Validate a plain mapping; errors name the key and the expected type."""
        if not isinstance(data, dict):
            raise ConfigError(
                f"{source}: expected a mapping of sections, got {type(data).__name__}"
            )
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(f"{source}: {describe_validation_error(exc)}") from None

    @classmethod
    def from_yaml_text(cls, text: str, *, source: str = "recipe") -> Recipe:
        """Parse and validate YAML text; empty text is an error, never the defaults."""
        if is_empty_yaml(text):
            raise ConfigError(
                f"{source}: empty; expected a mapping of recipe sections (data, model, train, ...)"
            )
        return cls.from_dict(parse_yaml(text, source=source), source=source)

    @classmethod
    def load(cls, path: str | Path) -> Recipe:
        """Read a recipe file, or a built-in recipe by name (see ``trainlab recipes``)."""
        from trainlab.config.recipes import builtin_recipe_path

        text, p = read_named(path, builtin_recipe_path, "recipe", "trainlab recipes")
        return cls.from_yaml_text(text, source=str(p))

    # -- serialization -----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_yaml(), encoding="utf-8")

    # -- overrides ---------------------------------------------------------
    def override(self, assignments: list[str] | dict[str, Any]) -> Recipe:
        """A new recipe with dotted-path overrides applied and validated.

        ``assignments`` is a list of ``"a.b=value"`` strings (values parsed as
        YAML, so ``0.3``, ``true``, ``[64, 64]`` and ``null`` work) or a
        mapping from dotted path to value.
        """
        data = self.to_dict()
        pairs = parse_assignments(assignments) if isinstance(assignments, list) else assignments
        for path, value in pairs.items():
            set_dotted(data, path, value)
        return Recipe.from_dict(data, source="override")


def parse_assignments(assignments: list[str]) -> dict[str, Any]:
    """Parse ``["a.b=1", "c=[1, 2]"]`` into ``{"a.b": 1, "c": [1, 2]}``."""
    out: dict[str, Any] = {}
    for item in assignments:
        if "=" not in item:
            raise ConfigError(f"override {item!r}: expected KEY=VALUE, e.g. model.dropout=0.3")
        key, raw = item.split("=", 1)
        key = key.strip()
        if not key:
            raise ConfigError(f"override {item!r}: the key is empty")
        try:
            out[key] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            out[key] = raw
    return out


def set_dotted(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``data["a"]["b"] = value`` for ``path="a.b"``; unknown sections are errors."""
    parts = path.split(".")
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or part not in node:
            where = ".".join(parts[: i + 1])
            raise ConfigError(f"override {path!r}: unknown key {where!r}")
        if node[part] is None:
            node[part] = {}
        node = node[part]
    if not isinstance(node, dict):
        raise ConfigError(f"override {path!r}: {'.'.join(parts[:-1])!r} is not a section")
    # unknown leaf keys are left for validation, except where the parent is free-form
    node[parts[-1]] = value


def describe_validation_error(exc: ValidationError) -> str:
    """One line from pydantic's errors: the first problem, with its dotted key."""
    errors = exc.errors()
    first = errors[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    kind = first["type"]
    if kind == "extra_forbidden":
        msg = f"unknown key {loc!r}"
        parent = ".".join(str(p) for p in first["loc"][:-1])
        known = _known_keys(parent)
        if known:
            msg += f"; expected one of: {', '.join(known)}"
    elif kind == "missing":
        msg = f"{loc}: required key is missing"
    elif kind == "value_error":  # our own validators say what they got
        msg = f"{loc}: {first['msg'].removeprefix('Value error, ')}"
    else:
        got = repr(first.get("input"))
        got = got if len(got) <= 60 else got[:57] + "..."
        msg = f"{loc}: {first['msg']}, got {got}"
    more = len(errors) - 1
    if more:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return msg


def _known_keys(dotted: str) -> list[str]:
    model: Any = Recipe
    for part in dotted.split(".") if dotted else []:
        field = model.model_fields.get(part)
        if field is None or not isinstance(field.annotation, type):
            return []
        if not issubclass(field.annotation, BaseModel):
            return []
        model = field.annotation
    return list(model.model_fields)
