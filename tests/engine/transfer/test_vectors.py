"""Word vectors as a transfer source: rows by the vocabulary's tokens, checks in one line."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import CheckpointError, ConfigError, DataError
from trainlab.engine.transfer.vectors import (
    PretrainedVectors,
    TextInputs,
    is_vectors_path,
    load_vectors_source,
)
from trainlab.models import build_model

WORDS = ["<pad>", "<unk>", "sol", "luna", "mar"]
TEXT = TextInputs(WORDS)


@pytest.fixture
def vectors(tmp_path):
    rng = np.random.default_rng(0)
    rows = {"sol": rng.normal(size=4), "luna": rng.normal(size=4), "cielo": rng.normal(size=4)}
    lines = [f"{len(rows)} 4"] + [
        f"{w} " + " ".join(f"{v:.6f}" for v in x) for w, x in rows.items()
    ]
    path = tmp_path / "vectors.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, {w: x.astype(np.float32) for w, x in rows.items()}


def _model(name="embedding-bag", dim=4):
    cfg = ModelConfig(name=name, widths=[8], embedding_dim=dim, vocab_size=len(WORDS))
    return build_model(cfg, (6,), 2)


def test_each_token_gets_its_own_vector_and_padding_stays_zero(vectors):
    path, rows = vectors
    model = _model()
    copied, found = load_vectors_source(path).copy_into(model, 1, head=False, text=TEXT)
    (weight,) = [m.weight for m in model.stage("embedding").modules() if hasattr(m, "padding_idx")]
    weight = weight.detach().numpy()
    assert copied == ["embedding"] and found == {
        "coverage": pytest.approx(2 / 3, abs=1e-3),
        "found": 2,
    }
    np.testing.assert_allclose(weight[2], rows["sol"], atol=1e-6)
    np.testing.assert_allclose(weight[3], rows["luna"], atol=1e-6)
    assert not weight[0].any() and weight[4].any()  # padding zero, "mar" random


def test_a_folder_stands_for_its_vectors_and_a_model_file_is_not_vectors(vectors, tmp_path):
    path, _ = vectors
    assert is_vectors_path(path.parent) and load_vectors_source(path.parent).path == path
    assert not is_vectors_path(tmp_path / "model.safetensors")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"dim": 3}, ConfigError, "model.embedding_dim: 4"),
        ({"name": "mlp"}, ConfigError, "sequence model"),
    ],
)
def test_a_model_they_do_not_fit_is_named(vectors, kwargs, error, match):
    source = load_vectors_source(vectors[0])
    name = kwargs.get("name", "embedding-bag")
    model = (
        build_model(ModelConfig(name="mlp", widths=[8]), (6,), 2)
        if name == "mlp"
        else _model(dim=kwargs["dim"])
    )
    with pytest.raises(error, match=match):
        source.copy_into(model, 1, head=False, text=TEXT)


def test_no_shared_word_head_or_stages_are_refused(vectors):
    source = load_vectors_source(vectors[0])
    with pytest.raises(DataError, match="none of the vocabulary's 3 words"):
        source.copy_into(
            _model(), 1, head=False, text=TextInputs(["<pad>", "<unk>", "a", "b", "c"])
        )
    with pytest.raises(ConfigError, match=r"transfer\.head: new"):
        source.copy_into(_model(), 1, head=True, text=TEXT)
    with pytest.raises(ConfigError, match="stages: 1"):
        source.copy_into(_model(), 2, head=False, text=TEXT)
    with pytest.raises(ConfigError, match="text model"):
        source.copy_into(_model(), 1, head=False, text=None)


def test_a_bad_vectors_file_is_a_checkpoint_error_naming_it(tmp_path):
    bad = tmp_path / "bad.vec"
    bad.write_text("hello world\n", encoding="utf-8")
    with pytest.raises(CheckpointError, match=r"bad\.vec: not a word2vec text file"):
        load_vectors_source(bad)
    with pytest.raises(CheckpointError, match="no such word-vector file"):
        load_vectors_source(tmp_path / "missing.txt")


def test_the_weights_are_written_in_place_without_grad(vectors):
    model = _model()
    load_vectors_source(vectors[0]).copy_into(model, 1, head=False, text=TEXT)
    assert all(p.requires_grad for p in model.parameters())
    assert model.eval()(torch.tensor([[2, 3, 0, 0, 0, 0]])).shape == (1, 2)


def test_vectors_trained_in_the_run_learn_the_corpus_once():
    from pathlib import Path

    from trainlab.preprocess.text.word2vec import Word2VecConfig

    calls = []

    def sentences():
        calls.append(1)
        return [["sol", "luna", "mar"], ["sol", "mar", "luna"]] * 20

    source = PretrainedVectors(Path("word2vec"), None, "x", config=Word2VecConfig(vector_size=4))
    text = TextInputs(WORDS, sentences)
    for _ in range(2):  # two members: one training
        _, found = source.copy_into(_model(), 1, head=False, text=text)
    assert calls == [1] and found["coverage"] == 1.0 and source.dim == 4
    with pytest.raises(DataError, match="no words"):
        PretrainedVectors(Path("w"), None, "x", config=Word2VecConfig(vector_size=4)).copy_into(
            _model(), 1, head=False, text=TextInputs(WORDS, lambda: [[]])
        )
