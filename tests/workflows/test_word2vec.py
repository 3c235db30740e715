"""``trainlab word2vec``: a corpus file → vectors, neighbours, evaluation, as one folder."""

from __future__ import annotations

import json
import random

import pytest

from trainlab.preprocess.text.word2vec import Word2VecConfig, read_vectors
from trainlab.workflows.word2vec import run_word2vec

ANIMALS = ["cat", "dog", "horse", "cow", "sheep", "goat"]
TOOLS = ["hammer", "saw", "drill", "wrench", "chisel", "pliers"]


@pytest.fixture
def corpus(tmp_path):
    rng = random.Random(0)
    lines = [" ".join(rng.choices(ANIMALS if i % 2 else TOOLS, k=8)) for i in range(2000)]
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_folder_holds_vectors_neighbours_and_evaluation(corpus, tmp_path):
    config = Word2VecConfig(vector_size=16, epochs=10, min_count=1)
    out = tmp_path / "vectors"
    result = run_word2vec(str(corpus), out, config, words=["cat", "hammer"])
    assert sorted(p.name for p in out.iterdir()) == [
        "evaluation.json",
        "neighbours.md",
        "vectors.txt",
    ]
    assert len(read_vectors(out / "vectors.txt")) == result.vocabulary == 12
    assert {w for w, _ in result.neighbours["cat"]} <= set(ANIMALS)
    assert {w for w, _ in result.neighbours["hammer"]} <= set(TOOLS)
    summary = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert summary["config"]["architecture"] == "skip-gram" and summary["vocabulary"] == 12
    assert summary["evaluation"]["wordsim353_oov"] == 1.0  # none of its words: plainly said
    assert "| cat |" in (out / "neighbours.md").read_text(encoding="utf-8")


def test_a_second_run_replaces_the_folder_whole(corpus, tmp_path):
    out = tmp_path / "vectors"
    out.mkdir()
    (out / "stale.txt").write_text("old", encoding="utf-8")
    run_word2vec(str(corpus), out, Word2VecConfig(vector_size=8, epochs=1, min_count=1))
    assert not (out / "stale.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_bad_input_is_one_line(cli, one_line_error, tmp_path):
    code, _, err = cli("word2vec", "--corpus", str(tmp_path / "none.txt"), "--out", str(tmp_path))
    one_line_error(code, err, "not a built-in corpus")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait\n")
    code, _, err = cli("word2vec", "--corpus", str(bad), "--out", str(tmp_path / "v"))
    one_line_error(code, err, "bad.txt")
    code, _, err = cli("word2vec", "--corpus", str(bad), "--vector-size", "0")
    one_line_error(code, err, "vector_size")
    assert not (tmp_path / "v").exists()
