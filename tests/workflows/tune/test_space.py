"""The search space: each kind parsed, every bad --param one line naming it."""

from __future__ import annotations

import pytest

from trainlab.core.errors import ConfigError
from trainlab.workflows.tune.space import parse_param


def test_each_kind_and_its_example_value() -> None:
    assert parse_param("model.dropout=float:0:0.5").example == 0.0
    assert parse_param("model.convs_per_stage=int:1:3").example == 1
    p = parse_param("optimizer.name=choice:adam,sgd")
    assert p.choices == ("adam", "sgd") and p.example == "adam"
    assert parse_param("train.batch_size=choice:32,64").choices == (32, 64)  # YAML values


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("model.dropout", "expected KEY=KIND"),
        ("model.dropout=gauss:0:1", "expected KEY=KIND"),
        ("model.dropout=float:0.5:0.1", "an empty range"),
        ("model.dropout=float:0:x", "two numbers"),
        ("regularization.l2=log:0:0.1", "LOW > 0"),
        ("model.convs_per_stage=int:1:2.5", "whole numbers"),
        ("optimizer.name=choice:adam", "at least two values"),
    ],
)
def test_a_bad_param_is_one_line_naming_it(text, words) -> None:
    with pytest.raises(ConfigError, match=words) as e:
        parse_param(text)
    assert str(e.value).startswith(f"--param {text}") and "\n" not in str(e.value)
