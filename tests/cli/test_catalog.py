"""The listings: whole first sentences, wrapped to the terminal."""

from __future__ import annotations

import pytest

from trainlab.cli.catalog import first_sentence, leading_comment
from trainlab.config.recipes import builtin_recipes


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("One. Two.", "One."),
        (
            "Fashion-MNIST (Xiao et al., 2017): 60,000 images.",
            "Fashion-MNIST (Xiao et al., 2017): 60,000 images.",
        ),
        ("Noise, e.g. on inputs. More.", "Noise, e.g. on inputs."),
        (
            "wide enough to\noverfit  its images, fast\nenough",
            "wide enough to overfit its images, fast enough",
        ),
        ("", ""),
    ],
)
def test_first_sentence(text, sentence):
    assert first_sentence(text) == sentence


def test_recipes_print_whole_first_sentences(cli):
    code, out, _ = cli("recipes")
    assert code == 0
    flat = " ".join(out.split())
    for name, path in builtin_recipes().items():
        sentence = first_sentence(leading_comment(path.read_text(encoding="utf-8")))
        assert sentence.endswith("."), (name, sentence)
        assert sentence in flat, (name, sentence)
    assert "(the lecture study's base)." in flat  # digits-mlp's three comment lines


@pytest.mark.parametrize("command", ["recipes", "datasets"])
def test_listings_wrap_to_the_terminal(cli, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = cli(command)
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    continued = [line for line in lines if line.startswith(" ")]
    assert continued and all(line.strip() for line in continued)
