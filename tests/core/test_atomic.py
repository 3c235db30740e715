"""Atomic writes: all or nothing, and the user's usual permissions (0666 less the umask)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from trainlab.core.atomic import atomic_path, temp_path_beside, write_text_atomic


@pytest.fixture(params=[0o022, 0o002], ids=["umask-022", "umask-002"])
def umask(request):
    """Run the test under this umask, then restore the process's own."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_files_get_the_usual_permissions(tmp_path, umask):
    text = write_text_atomic(tmp_path / "report.md", "# hi\n")
    with atomic_path(tmp_path / "sub" / "figure.png", ".png") as tmp:
        tmp.write_bytes(b"\x89PNG")
    for path in (text, tmp_path / "sub" / "figure.png"):
        assert _mode(path) == 0o666 & ~umask, oct(_mode(path))


def test_rewriting_a_file_gives_it_the_usual_permissions(tmp_path, umask):
    path = tmp_path / "model.safetensors"
    path.write_bytes(b"old")
    path.chmod(0o600)
    write_text_atomic(path, "new")
    assert path.read_text() == "new" and _mode(path) == 0o666 & ~umask


def test_a_writer_that_replaces_the_temporary_file_does_not_choose_the_mode(tmp_path, umask):
    private = tmp_path / "private"
    private.write_bytes(b"tensors")
    private.chmod(0o600)  # as safetensors writes its files
    with atomic_path(tmp_path / "model.safetensors") as tmp:
        os.replace(private, tmp)
    assert _mode(tmp_path / "model.safetensors") == 0o666 & ~umask


def test_temporary_files_are_distinct_and_hidden(tmp_path):
    names = {temp_path_beside(tmp_path / "a.csv").name for _ in range(20)}
    assert len(names) == 20
    assert all(n.startswith(".a.csv.") and n.endswith(".part") for n in names)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = write_text_atomic(tmp_path / "a.json", "{}")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("{half")
        raise RuntimeError("interrupted")
    assert path.read_text() == "{}" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_every_file_of_a_run_folder_gets_the_usual_permissions(tmp_path, umask):
    from trainlab.config.recipe import Recipe
    from trainlab.workflows.run import run_recipe

    recipe = Recipe.load("wine-mlp").override({"train.epochs": 1, "train.progress": False})
    folder = run_recipe(recipe, out_dir=tmp_path).folder
    modes = {p.name: oct(_mode(p)) for p in folder.iterdir()}
    assert {"model.safetensors", "report.html", "curves.png", "recipe.yaml"} <= set(modes)
    assert set(modes.values()) == {oct(0o666 & ~umask)}, sorted(modes.items())
