"""A run keeps its recipe's file paths absolute, so its recipe.yaml reruns from any folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.datasets import load_wine

from trainlab.config.paths import with_absolute_paths
from trainlab.config.recipe import Recipe
from trainlab.workflows.run import run_recipe


def test_relative_paths_become_absolute_and_nothing_else_changes(tmp_path):
    r = Recipe().override(
        {
            "data.dataset": "csv",
            "data.options": {"path": "../d/data.csv", "root": "x", "target": "label"},
            "transfer.checkpoint": "runs/base-seed{seed}/model.safetensors",
        }
    )
    out = with_absolute_paths(r, base=tmp_path / "here")
    assert out.data.options == {
        "path": str(tmp_path / "d" / "data.csv"),
        "root": str(tmp_path / "here" / "x"),
        "target": "label",
    }
    assert out.transfer.checkpoint == str(tmp_path / "here/runs/base-seed{seed}/model.safetensors")
    assert out.override({"data.options": r.data.options, "transfer.checkpoint": None}) == (
        r.override({"transfer.checkpoint": None})
    )
    assert with_absolute_paths(out, base="/elsewhere") == out  # absolute paths stay


def test_paths_it_does_not_know_how_to_resolve_stay_as_given():
    r = Recipe().override({"data.options": {"path": "~/data.csv", "target": ""}})
    assert with_absolute_paths(r) is r
    assert with_absolute_paths(Recipe()) == Recipe()


def _wine_csv(path: Path) -> None:
    ds = load_wine()
    rows = np.column_stack([ds.data, ds.target])
    header = ",".join([*(f"f{i}" for i in range(ds.data.shape[1])), "label"])
    np.savetxt(path, rows, delimiter=",", header=header, comments="", fmt="%.6g")


def test_a_saved_recipe_reruns_from_another_folder(tmp_path, monkeypatch):
    """The README's promise: ``trainlab run runs/<run>/recipe.yaml`` reproduces the run."""
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    _wine_csv(work / "data.csv")
    monkeypatch.chdir(work)
    quick = {"train.epochs": 2, "train.progress": False, "model.widths": [16]}
    recipe = Recipe.load("wine-mlp").override(
        {**quick, "data.dataset": "csv", "data.options": {"path": "data.csv", "target": "label"}}
    )
    run_recipe(recipe, out_dir="runs", name="base")
    first = run_recipe(recipe.override({"transfer.checkpoint": "runs/base"}), name="a")
    saved = Recipe.load(first.folder / "recipe.yaml")
    assert saved.data.options["path"] == str(work / "data.csv")
    assert saved.transfer.checkpoint == str(work / "runs" / "base")
    meta = json.loads((first.folder / "metrics.json").read_text())

    monkeypatch.chdir(elsewhere)
    again = run_recipe(Recipe.load(work / first.folder / "recipe.yaml"), name="b")
    assert again.folder.absolute() == elsewhere / "runs" / "b"
    for key in ("train_loss", "val_loss", "test_loss", "test_acc"):
        assert again.metrics[key] == meta[key], key


def test_a_pretrain_corpus_and_augmentation_files_that_exist_become_absolute(tmp_path):
    from trainlab.config.paths import with_absolute_paths
    from trainlab.config.recipe import Recipe

    (tmp_path / "corpus.txt").write_text("a b\n", encoding="utf-8")
    (tmp_path / "v.txt").write_text("1 1\na 0.5\n", encoding="utf-8")
    r = Recipe().override(
        {
            "pretrain.corpus": "corpus.txt",
            "augment": [{"name": "word-embedding", "vectors": "v.txt"}, {"name": "typo"}],
        }
    )
    out = with_absolute_paths(r, base=tmp_path)
    assert out.pretrain.corpus == str(tmp_path / "corpus.txt")
    assert out.augment == [
        {"name": "word-embedding", "vectors": str(tmp_path / "v.txt")},
        {"name": "typo"},
    ]
    named = Recipe().override({"pretrain.corpus": "fortunes"})  # a built-in corpus stays a name
    assert with_absolute_paths(named, base=tmp_path).pretrain.corpus == "fortunes"
