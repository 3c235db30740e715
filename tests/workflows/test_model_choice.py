"""``model.name: auto``: the model follows the data's modality; a named model stays."""

from __future__ import annotations

import pytest

from trainlab.config.recipe import Recipe
from trainlab.config.recipes import builtin_recipes
from trainlab.core.errors import ConfigError
from trainlab.workflows.model_choice import MODEL_OF_MODALITY, is_auto, model_for, resolve_model
from trainlab.workflows.run_folder import default_run_name, run_label


@pytest.mark.parametrize(
    ("modality", "model"), [("image", "cnn"), ("tabular", "mlp"), ("signal", "cnn1d")]
)
def test_auto_picks_the_model_of_the_modality(modality, model):
    r = resolve_model(Recipe(), modality)
    assert r.model.name == model
    assert r.model.model_dump(exclude={"name"}) == Recipe().model.model_dump(exclude={"name"})


def test_every_model_picked_is_registered():
    from trainlab.models.registry import MODELS

    assert all(name in MODELS for name in MODEL_OF_MODALITY.values())


def test_resolving_twice_is_resolving_once():
    once = resolve_model(Recipe(), "tabular")
    assert resolve_model(once, "image") is once  # named now: kept whatever the data


def test_the_default_recipe_resolves_to_the_cnn_it_always_had():
    default = Recipe()
    assert default.data.dataset == "digits" and is_auto(default)
    assert resolve_model(default, "image").model.name == "cnn"


@pytest.mark.parametrize("name", sorted(builtin_recipes()))
def test_every_builtin_recipe_names_its_model(name):
    r = Recipe.load(name)
    assert not is_auto(r), name
    assert resolve_model(r, "tabular") is r


def test_a_modality_without_a_model_is_one_line():
    with pytest.raises(ConfigError, match=r"model\.name: auto picks no model for 'graph'"):
        model_for("graph")
    assert model_for("video") == "frame-cnn"


def test_a_run_keeping_the_default_name_is_named_after_its_data_and_model():
    csv = Recipe().override({"data.dataset": "csv", "data.options.path": "/data/flowers.csv"})
    assert run_label(resolve_model(csv, "tabular")) == "flowers-mlp"
    assert run_label(resolve_model(Recipe(), "image")) == "digits-cnn"
    assert run_label(Recipe.load("wine-mlp").override({"data.dataset": "diabetes"})) == "wine-mlp"
    assert default_run_name(resolve_model(csv, "tabular")).startswith("flowers-mlp-2")
    assert default_run_name("mine").startswith("mine-")
