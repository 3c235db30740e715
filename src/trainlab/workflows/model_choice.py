"""The model of a recipe that names none: picked by the data's modality.

``model.name: auto`` (the default) becomes the architecture made for the
data's shape: a 2-D CNN for images ``(C, H, W)``, a multilayer perceptron for
tables ``(F,)``, a 1-D CNN for signals ``(C, L)``. The rest of the ``model``
section (widths, batch norm, dropout, …) is kept as the recipe says. A recipe
that names its model is returned unchanged, so resolving twice is harmless.
The default recipe's data (digits, images) resolves to ``cnn``, the model the
default was before ``auto`` existed: its runs are unchanged.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.model_choice import resolve_model
    >>> resolve_model(Recipe(), "tabular").model.name
    'mlp'
    >>> r = Recipe().override({"model.name": "cnn"})
    >>> resolve_model(r, "tabular") is r
    True
"""

from __future__ import annotations

from trainlab.config.recipe import ModelConfig, Recipe
from trainlab.core.errors import ConfigError

#: the data's modality → the model ``model.name: auto`` builds for it
MODEL_OF_MODALITY: dict[str, str] = {
    "image": "cnn",
    "tabular": "mlp",
    "signal": "cnn1d",
    "audio": "cnn",  # on the front end's log-mel spectrograms (N, 1, mels, frames)
    "text": "mlp",  # on bags of words (N, V); token id sequences get SEQUENCE_MODEL
    "video": "frame-cnn",  # the 2-D CNN on every frame, pooled over time (or cnn3d)
}
#: the model ``auto`` builds for text given as token id sequences (preprocess.text)
SEQUENCE_MODEL = "embedding-bag"


def model_for(modality: str) -> str:
    """The registered model that ``model.name: auto`` picks for data of ``modality``.

    Raises:
        ConfigError: no model is made for ``modality``.

    Example:
        >>> model_for("image"), model_for("signal")
        ('cnn', 'cnn1d')
    """
    try:
        return MODEL_OF_MODALITY[modality]
    except KeyError:
        raise ConfigError(
            f"model.name: auto picks no model for {modality!r} data; set model.name to one "
            "of the registered models (see `trainlab components`)"
        ) from None


def is_auto(recipe: Recipe) -> bool:
    """Whether the recipe leaves its model to the data (``model.name: auto``).

    Example:
        >>> is_auto(Recipe()), is_auto(Recipe.load("wine-mlp"))
        (True, False)
    """
    return recipe.model.name == ModelConfig.AUTO


def resolve_model(recipe: Recipe, modality: str) -> Recipe:
    """``recipe`` with ``model.name: auto`` replaced by the model of ``modality``.

    Args:
        recipe: a validated recipe.
        modality: the prepared data's modality (``PreparedData.modality``):
            ``image``, ``tabular`` or ``signal``.

    Returns:
        ``recipe`` itself when it names its model; otherwise a copy whose
        ``model.name`` is :func:`model_for` ``(modality)``.

    Raises:
        ConfigError: ``auto`` for a modality no model is made for.
    """
    if not is_auto(recipe):
        return recipe
    name = model_for(modality)
    if modality == "text" and recipe.preprocess.text.representation == "sequence":
        name = SEQUENCE_MODEL
    return recipe.override({"model.name": name})
