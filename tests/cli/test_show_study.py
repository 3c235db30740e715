"""``trainlab show``: recipes as before; a built-in study, a study file or a study folder
printed as its definition (base, seeds, metric, every variant with its reference)."""

from __future__ import annotations

import pytest

from studykit import make_study, spec_dict
from trainlab.cli.catalog import show_kind
from trainlab.config.recipes import builtin_recipes
from trainlab.report.definition import assignments
from trainlab.workflows.study.builtin import builtin_studies
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store_schema import SCHEMA_VERSION

STUDY_FILE = """\
name: my-study
description: dropout on wine
base: wine-mlp
base_set: {train.epochs: 10}
metric: test_loss
higher_is_better: false
seeds: [0, 1]
variants:
  baseline: {}
  dropout: {model.dropout: 0.5}
  deep: {set: {model.widths: [32, 32, 32]}, against: deep, description: three layers}
  deep-l2: {set: {model.widths: [32, 32, 32], regularization.l2: 0.01}, against: deep}
"""


def test_no_built_in_recipe_is_named_like_a_built_in_study():
    assert not set(builtin_recipes()) & set(builtin_studies())


@pytest.mark.parametrize("name", sorted(builtin_studies()))
def test_a_built_in_study_shows_every_variant_with_its_reference(cli, name):
    code, out, err = cli("show", name)
    assert code == 0, err
    spec = StudySpec.load(name)
    flat = " ".join(out.split())
    assert out.startswith(f"study        {spec.name}\n")
    assert f"metric {spec.metric} (higher is better)" in flat
    assert f"seeds {', '.join(str(s) for s in spec.seeds)} ({len(spec.seeds)} seeds)" in flat
    assert f"variants {len(spec.variants)}" in flat
    lines = out.splitlines()
    for v in spec.variants:
        line = next(ln for ln in lines if ln.startswith(f"  {v.name} "))
        ref = spec.against(v.name)
        assert ("reference" if ref in (None, v.name) else f"vs {ref}") in line
        for key, value in v.overrides.items():
            assert assignments({key: value}) in flat, (v.name, key)


def test_a_study_file_with_set_shows_its_definition(cli, tmp_path):
    f = tmp_path / "my-study.yaml"
    f.write_text(STUDY_FILE)
    assert show_kind(str(f)) == "study"
    code, out, err = cli("show", str(f), "--set", "data.limit=300")
    assert code == 0, err
    flat = " ".join(out.split())
    assert "description dropout on wine" in flat and "base wine-mlp" in flat
    assert "base_set train.epochs=10, data.limit=300" in flat
    assert "metric test_loss (lower is better)" in flat and "seeds 0, 1 (2 seeds)" in flat
    assert "deep reference model.widths=[32, 32, 32] — three layers" in flat
    assert "deep-l2 vs deep model.widths=[32, 32, 32], regularization.l2=0.01" in flat
    assert "dropout vs baseline model.dropout=0.5" in flat


def test_a_study_folder_shows_its_stored_definition_and_trial_counts(cli, tmp_path):
    variants = {"baseline": {}, "dropout": {"model.dropout": 0.5}}
    values = {("baseline", 0): 0.9, ("baseline", 1): 0.91, ("dropout", 0): "failed"}
    values |= {("dropout", 1): "pending", ("baseline", 7): 0.5}  # seed 7: outside the seeds
    run = {"wall_seconds": 12.5, "trials": 4, "workers": 1, "executor": "inline"}
    folder = make_study(
        tmp_path / "demo", values, spec=spec_dict(variants=variants, seeds=[0, 1]), last_run=run
    )
    assert show_kind(str(folder)) == show_kind(str(folder), as_study=True) == "folder"
    code, out, err = cli("show", str(folder))
    assert code == 0, err
    flat = " ".join(out.split())
    assert f"folder {folder}" in flat
    assert f"store study.sqlite, schema version {SCHEMA_VERSION}" in flat
    assert "last run 4 trials in 12.5 s, 1 worker, inline" in flat
    assert "also stored 1 trials outside these variants and seeds" in flat
    assert "trials 2 of 4 done, 1 failed, 1 pending" in flat
    assert "baseline reference (2 of 2 done)" in flat
    assert "dropout vs baseline model.dropout=0.5 (0 of 2 done, 1 failed, 1 pending)" in flat


def test_recipes_still_show_resolved_and_study_forces_a_study(cli, tmp_path):
    assert show_kind("wine-mlp") == "recipe" and show_kind(None) == "recipe"
    code, out, _ = cli("show", "wine-mlp", "--set", "model.dropout=0.25")
    assert code == 0 and "dropout: 0.25" in out and "dataset: wine" in out
    code, out, _ = cli("show", "--study")
    assert code == 0 and out.startswith("study        lecture\n")
    recipe = tmp_path / "r.yaml"
    recipe.write_text("name: r\ndata: {dataset: wine}\n")
    assert show_kind(str(recipe)) == "recipe"
    code, out, _ = cli("show", str(recipe))
    assert code == 0 and "name: r" in out


def test_show_errors_are_one_line(cli, one_line_error, tmp_path):
    code, _, err = cli("show", "nosuch")
    one_line_error(code, err, "'nosuch'", "trainlab recipes", "trainlab studies")
    code, _, err = cli("show", "wine-mlp", "--study")
    one_line_error(code, err, "wine-mlp", "study")
    (tmp_path / "empty").mkdir()
    code, _, err = cli("show", str(tmp_path / "empty"))
    one_line_error(code, err, "has no study.sqlite")
    folder = make_study(tmp_path / "demo", {("baseline", 0): 0.9})
    code, _, err = cli("show", str(folder), "--set", "train.epochs=1")
    one_line_error(code, err, "--set", "study folder")
    f = tmp_path / "bad.yaml"
    f.write_text(STUDY_FILE.replace("model.dropout", "model.nosuch"))
    code, _, err = cli("show", str(f))
    one_line_error(code, err, "model.nosuch")
