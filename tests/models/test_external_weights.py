"""Foreign weight files are read as plain tensors, never unpickled."""

from __future__ import annotations

import pytest
import torch

from trainlab.core.errors import CheckpointError
from trainlab.models.external_weights import read_weights


def test_weight_files_are_never_unpickled(tmp_path, payload):
    path = tmp_path / "evil-0123abcd.pth"
    torch.save({"conv1.weight": payload}, path)
    with pytest.raises(CheckpointError, match="cannot be read as plain tensors"):
        read_weights(path)
    torch.save({"state_dict": {"w": torch.ones(2)}}, path)
    assert read_weights(path)["w"].tolist() == [1.0, 1.0]
