"""Bad checkpoints offered for transfer: one line, exit status 2, no run folder."""

import json

import pytest
import torch

from trainlab.io.checkpoint import save_checkpoint


def _run(cli, tmp_path, checkpoint, *extra):
    return cli(
        "run",
        "digits-cnn",
        "-q",
        "--out-dir",
        str(tmp_path / "runs"),
        "--set",
        "data.limit=200",
        "--set",
        "train.epochs=1",
        "--set",
        f"transfer.checkpoint={checkpoint}",
        *extra,
    )


def _no_run_folder(tmp_path):
    runs = tmp_path / "runs"
    assert not runs.exists() or not list(runs.iterdir())


def test_a_pickle_is_refused_and_never_executed(cli, one_line_error, tmp_path):
    marker = tmp_path / "executed"

    class Boom:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    torch.save({"w": torch.ones(1), "boom": Boom()}, tmp_path / "evil.safetensors")
    code, _, err = _run(cli, tmp_path, tmp_path / "evil.safetensors")
    one_line_error(code, err, "pickle", "never unpickles")
    assert not marker.exists()
    _no_run_folder(tmp_path)


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        ("missing", "no such file"),
        ("truncated", "truncated or corrupt"),
        ("foreign", "without trainlab metadata"),
        ("state", "not a model"),
    ],
)
def test_bad_checkpoints(cli, one_line_error, tmp_path, base_a, make, fragment):
    path = tmp_path / f"{make}.safetensors"
    if make == "truncated":
        path.write_bytes(base_a.read_bytes()[:2000])
    elif make == "foreign":
        from safetensors.torch import save_file

        save_file({"w": torch.ones(2)}, str(path))
    elif make == "state":
        save_checkpoint(path, {"w": torch.ones(1)}, {"kind": "state"})
    code, _, err = _run(cli, tmp_path, path)
    one_line_error(code, err, fragment)
    _no_run_folder(tmp_path)


def test_not_ours_metadata(cli, one_line_error, tmp_path):
    from safetensors.torch import save_file

    path = tmp_path / "other.safetensors"
    save_file({"w": torch.ones(2)}, str(path), metadata={"trainlab": json.dumps({"a": 1})})
    code, _, err = _run(cli, tmp_path, path)
    one_line_error(code, err, "not a trainlab checkpoint")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--set", "transfer.stages=3"], "only 2 stages"),
        (["--set", "model.widths=[8, 32]"], "stage 'stage2' does not fit"),
        (["--set", "model.name=mlp"], "holds a cnn"),
        (["--set", "transfer.member=2"], "holds 1 member"),
        (
            ["--set", "transfer.strategy=head-only", "--set", "transfer.stages=1"],
            "transfer.stages must be 2",
        ),
    ],
)
def test_checkpoints_that_do_not_fit(cli, one_line_error, tmp_path, base_a, extra, fragment):
    code, _, err = _run(cli, tmp_path, base_a, "--set", "model.widths=[8, 16]", *extra)
    one_line_error(code, err, fragment)
    _no_run_folder(tmp_path)


def test_copying_a_head_for_other_classes_is_refused(cli, one_line_error, tmp_path, base_a):
    code, _, err = _run(
        cli,
        tmp_path,
        base_a,
        "--set",
        "model.widths=[8, 16]",
        "--set",
        "data.classes=[5,6,7]",
        "--set",
        "transfer.head=copy",
    )
    one_line_error(code, err, "transfer.head copy", "predicts 5 classes", "the data has 3")
    _no_run_folder(tmp_path)
