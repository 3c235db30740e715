import pickle

import pytest
import torch

from trainlab.core.errors import CheckpointError
from trainlab.io.checkpoint import (
    flatten_state,
    load_checkpoint,
    read_metadata,
    save_checkpoint,
    unflatten_state,
)


def test_roundtrip_tensors_and_metadata(tmp_path):
    path = tmp_path / "a.safetensors"
    save_checkpoint(path, {"w": torch.arange(6.0).reshape(2, 3)}, {"kind": "model", "x": [1, 2]})
    tensors, meta = load_checkpoint(path)
    assert torch.equal(tensors["w"], torch.arange(6.0).reshape(2, 3))
    assert meta["x"] == [1, 2] and meta["format"] == "trainlab.io.checkpoint"
    assert read_metadata(path)["kind"] == "model"
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_optimizer_state_roundtrip():
    model = torch.nn.Linear(3, 2)
    opt = torch.optim.Adam(model.parameters())
    model(torch.randn(4, 3)).sum().backward()
    opt.step()
    tensors, skel = flatten_state(opt.state_dict())
    restored = unflatten_state(skel, tensors)
    opt2 = torch.optim.Adam(torch.nn.Linear(3, 2).parameters())
    opt2.load_state_dict(restored)
    for k in (0, 1):
        assert torch.equal(
            opt2.state_dict()["state"][k]["exp_avg"], opt.state_dict()["state"][k]["exp_avg"]
        )


def test_pickle_refused_without_execution(tmp_path):
    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('executed')",))

    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(CheckpointError, match="never unpickles"):
        load_checkpoint(path)
    torch.save({"w": torch.zeros(1)}, tmp_path / "t.pt")
    with pytest.raises(CheckpointError, match="pickle"):
        load_checkpoint(tmp_path / "t.pt")


def test_truncated_file(tmp_path):
    path = tmp_path / "a.safetensors"
    save_checkpoint(path, {"w": torch.zeros(1000)}, {"kind": "model"})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        load_checkpoint(path)


def test_foreign_safetensors(tmp_path):
    from safetensors.torch import save_file

    path = tmp_path / "foreign.safetensors"
    save_file({"w": torch.zeros(2)}, str(path))
    with pytest.raises(CheckpointError, match="not written by trainlab"):
        load_checkpoint(path)


def test_missing_file(tmp_path):
    with pytest.raises(CheckpointError, match="no such file"):
        load_checkpoint(tmp_path / "nope.safetensors")


def test_newer_version_refused(tmp_path):
    path = tmp_path / "a.safetensors"
    save_checkpoint(path, {"w": torch.zeros(1)}, {"version": 99})
    with pytest.raises(CheckpointError, match="newer trainlab"):
        load_checkpoint(path)
