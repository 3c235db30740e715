"""The audio front end of a run: built from ``preprocess.audio``, fitted on the training split.

An audio model takes waveforms; its first, fixed step is the front end
(:class:`~trainlab.preprocess.audio.frontend.AudioFrontEnd`: band filter,
pre-emphasis, spectrogram, per-frequency normalization). It is fitted here,
on the training split's waveforms only, and kept twice: in the preprocessing
state of the checkpoint (so evaluation and transfer can rebuild it, and a
transfer can adopt it) and as buffers of the model (so a saved model takes
waveforms). ``features: auto`` gives 2-D models (``cnn``) log-mel spectrograms
and 1-D models (``cnn1d``, ``wavecnn``) the waveform.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.audio_setup import frontend_features
    >>> frontend_features(Recipe()), frontend_features(Recipe().override({"model.name": "wavecnn"}))
    ('logmel', 'waveform')
"""

from __future__ import annotations

from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import DataError
from trainlab.workflows.model_choice import resolve_model

#: the models that read waveforms (N, C, L) rather than spectrograms (N, C, F, T)
WAVEFORM_MODELS: tuple[str, ...] = ("cnn1d", "wavecnn")


def frontend_features(recipe: Recipe) -> str:
    """The features the recipe's audio model reads (``features: auto`` resolved)."""
    features = recipe.preprocess.audio.features
    if features != "auto":
        return features
    name = resolve_model(recipe, "audio").model.name
    return "waveform" if name in WAVEFORM_MODELS else "logmel"


def build_frontend(
    recipe: Recipe,
    sample_rate: int | None,
    train_x: torch.Tensor,
    fitted: dict[str, Any] | None = None,
):
    """The run's front end: ``fitted`` (a checkpoint's) rebuilt, or a new one fitted on ``train_x``.

    Raises:
        DataError: the data carry no sample rate, or not the rate of ``fitted``.
        ConfigError: a front-end setting does not fit the data (a cutoff above
            half the sample rate, a window longer than the clips).
    """
    from trainlab.preprocess.audio.frontend import AudioFrontEnd

    if fitted is not None:
        want = int(fitted["config"]["sample_rate"])
        if sample_rate is not None and int(sample_rate) != want:
            raise DataError(
                f"the audio data are at {sample_rate} Hz, but the model's front end takes "
                f"{want} Hz; set data.options.sample_rate: {want}"
            )
        return frontend_from_state(fitted)
    if sample_rate is None:
        raise DataError("the audio data carry no sample rate; a loader must set one")
    args = recipe.preprocess.audio.frontend_arguments(sample_rate, frontend_features(recipe))
    try:
        frontend = AudioFrontEnd(**args)
    except ValueError as exc:
        from trainlab.core.errors import ConfigError

        raise ConfigError(f"preprocess.audio: {exc}") from None
    return frontend.fit(train_x)


def frontend_state(frontend) -> dict[str, Any]:
    """JSON for a checkpoint: the front end's arguments and fitted statistics."""
    return {
        "config": dict(frontend.config),
        "mean": frontend.mean.detach().cpu().tolist(),
        "std": frontend.std.detach().cpu().tolist(),
        "count": int(frontend.count),
    }


def frontend_from_state(state: dict[str, Any]):
    """The front end :func:`frontend_state` describes, with its statistics."""
    from trainlab.preprocess.audio.frontend import AudioFrontEnd

    frontend = AudioFrontEnd.from_config(state["config"])
    frontend.load_state_dict(
        {
            "mean": torch.tensor(state["mean"], dtype=frontend.mean.dtype),
            "std": torch.tensor(state["std"], dtype=frontend.std.dtype),
            "count": torch.tensor(int(state.get("count", 1)), dtype=frontend.count.dtype),
        }
    )
    return frontend


def with_sample_rate(specs: list[dict[str, Any]], sample_rate: int | None) -> list[dict[str, Any]]:
    """The ``augment`` specs with the data's sample rate given to those that take one.

    An augmentation with a ``sample_rate`` argument (background noise read from
    files, resampled to the data's rate) gets the data's rate unless the
    recipe sets it.

    Example:
        >>> with_sample_rate([{"name": "gain"}], 16000)
        [{'name': 'gain'}]
    """
    if sample_rate is None:
        return list(specs)
    import inspect

    from trainlab.augment.registry import AUGMENTATIONS

    out = []
    for spec in specs:
        name = spec.get("name")
        cls = AUGMENTATIONS.get(name) if name in AUGMENTATIONS else None
        takes = cls is not None and "sample_rate" in inspect.signature(cls.__init__).parameters
        out.append(
            {**spec, "sample_rate": int(sample_rate)}
            if takes and "sample_rate" not in spec
            else dict(spec)
        )
    return out


def check_clip_shape(in_shape: tuple[int, ...], sample_rate: int, fitted: dict[str, Any]) -> None:
    """``DataError`` unless clips of ``in_shape`` (C, L) are what a saved model was trained on."""
    want = tuple(int(v) for v in fitted["pipeline"].get("input_shape") or in_shape)
    if tuple(in_shape) == want:
        return
    if want[:-1] != tuple(in_shape[:-1]):
        raise DataError(
            f"clips of {in_shape[0]} channel(s), but the model takes {want[0]}; "
            f"set data.options.mono: {str(want[0] == 1).lower()}"
        )
    raise DataError(
        f"clips of {in_shape[-1]} samples, but the model takes {want[-1]}; "
        f"set data.options.seconds: {want[-1] / sample_rate:g}"
    )
