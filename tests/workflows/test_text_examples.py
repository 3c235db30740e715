"""A text run's examples: the picking (per class, right and wrong, in test order), the
augmented training texts, and a tiny run whose report and examples file show them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from htmlcheck import parse
from textkit import topics_recipe, write_topics
from trainlab.config.recipe import Recipe
from trainlab.report.text_examples import EXAMPLES_FILE
from trainlab.workflows.prepare import prepare_data
from trainlab.workflows.text_examples import (
    pick_augmentations,
    pick_predictions,
    pick_text_examples,
    text_augmentation_specs,
)


def _probs(predicted: list[int], classes: int, p: float = 0.8) -> torch.Tensor:
    out = torch.full((len(predicted), classes), (1 - p) / (classes - 1))
    out[torch.arange(len(predicted)), torch.tensor(predicted)] = p
    return out


def test_per_class_the_first_right_and_the_first_wrong_in_test_order():
    texts = np.array([f"t{i}" for i in range(8)], dtype=object)
    y = [0, 1, 1, 0, 1, 1, 2, 0]
    predicted = [1, 1, 0, 0, 1, 2, 2, 0]
    picked = pick_predictions(texts, torch.tensor(y), _probs(predicted, 3), ["a", "b", "c"])
    # class b (4 texts) first, then a (3), then c (1); per class right before wrong
    assert [(e.label, e.text, e.predicted, e.correct) for e in picked] == [
        ("b", "t1", "b", True),
        ("b", "t2", "a", False),
        ("a", "t3", "a", True),
        ("a", "t0", "b", False),
        ("c", "t6", "c", True),
    ]
    assert all(e.probability == pytest.approx(0.8) for e in picked)


def test_the_probability_is_the_predicted_class_and_ties_keep_class_order():
    probs = torch.tensor([[0.1, 0.3, 0.6], [0.2, 0.7, 0.1]])
    picked = pick_predictions(["x", "y"], torch.tensor([0, 1]), probs, ["a", "b", "c"])
    assert [(e.label, e.predicted, e.probability) for e in picked] == [
        ("a", "c", pytest.approx(0.6)),
        ("b", "b", pytest.approx(0.7)),
    ]


def test_at_most_max_classes_the_largest_and_absent_classes_skipped():
    y = [3] * 3 + [1] * 2 + [0]
    texts = [str(i) for i in range(len(y))]
    picked = pick_predictions(texts, torch.tensor(y), _probs(y, 5), list("abcde"), max_classes=2)
    assert [e.label for e in picked] == ["d", "b"]
    assert pick_predictions(texts, torch.tensor(y), _probs(y, 5), list("abcde"))[-1].label == "a"


def test_mismatched_rows_are_refused():
    with pytest.raises(ValueError, match=r"2 texts"):
        pick_predictions(["a", "b"], torch.tensor([0, 1, 1]), _probs([0, 1, 1], 2), ["x", "y"])


@pytest.fixture(scope="module")
def topics(tmp_path_factory):
    """Two topics; every fifth text is labelled with the other topic, so some are wrong."""
    return write_topics(tmp_path_factory.mktemp("texts") / "topics.csv", n=90, words=7,
                        mislabel_every=5)  # fmt: skip


def _recipe(path, **sets) -> Recipe:
    fast = {"train.epochs": 1, "train.progress": False, "optimizer.lr": 0.05}
    return topics_recipe(path, **{**fast, **sets})


def test_augmentations_show_the_first_training_text_before_and_after_each(topics):
    augment = [{"name": "word-swap"}, {"name": "flip"}, {"name": "char_delete", "rate": 0.3}]
    recipe = _recipe(topics).override({"augment": augment})
    assert [s["name"] for s in text_augmentation_specs(recipe)] == ["word-swap", "char_delete"]
    data = prepare_data(_recipe(topics))
    shown = pick_augmentations(recipe, data.texts["train"])
    first = str(data.texts["train"][0])
    assert [(a.name, a.before) for a in shown] == [("word-swap", first), ("char_delete", first)]
    assert sorted(shown[0].after.split()) == sorted(first.split()) and shown[0].after != first
    assert len(shown[1].after) < len(first)
    assert pick_augmentations(recipe, data.texts["train"]) == shown  # seeded: the same again
    other = recipe.override({"seed": recipe.seed + 1})
    assert pick_augmentations(other, data.texts["train"]) != shown
    assert pick_augmentations(_recipe(topics), data.texts["train"]) == ()

    examples = pick_text_examples(recipe, data, None)  # no predictions: augmentations only
    assert examples is not None and examples.predictions == () and examples.augmentations == shown


def test_no_examples_for_other_data_or_nothing_to_show(topics):
    assert (
        pick_text_examples(Recipe.load("wine-mlp"), prepare_data(Recipe.load("wine-mlp")), None)
        is None
    )
    assert pick_text_examples(_recipe(topics), prepare_data(_recipe(topics)), None) is None


def _lines(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip()]


def test_a_run_report_and_its_examples_file_show_the_picked_test_texts(topics, tmp_path):
    from trainlab.workflows.predict import predict_file
    from trainlab.workflows.run import run_recipe

    recipe = _recipe(topics)
    result = run_recipe(recipe, out_dir=tmp_path)
    data = prepare_data(recipe)
    test = [str(t) for t in data.texts["test"]]
    labels = [data.classes[int(i)] for i in data.test[1]]
    # the oracle: the saved model's predictions of the test texts, picked by hand
    (tmp_path / "test.txt").write_text("\n".join(test) + "\n", encoding="utf-8")
    table = predict_file(result.folder, tmp_path / "test.txt")
    label_at, text_at = table.columns.index("label"), table.columns.index("text")
    assert len(table.rows) == len(test)
    shown = [str(row[text_at]) for row in table.rows]
    assert all(t.startswith(s[:20]) for s, t in zip(shown, test, strict=True))
    predicted = [row[label_at] for row in table.rows]
    counts = {c: labels.count(c) for c in data.classes if c in labels}
    expected = []
    for c in sorted(counts, key=lambda c: (-counts[c], data.classes.index(c))):
        for right in (True, False):
            hits = [i for i, t in enumerate(labels) if t == c and (predicted[i] == c) == right]
            if hits:
                i = hits[0]
                p = float(table.rows[i][table.columns.index(f"p_{predicted[i]}")])
                expected.append((c, right, predicted[i], p, test[i]))
    assert any(not right for _, right, *_ in expected), "the noisy labels give wrong predictions"

    written = (result.folder / EXAMPLES_FILE).read_text(encoding="utf-8")
    got = []
    label = None
    for line in _lines(written)[1:]:
        if line.startswith("["):
            label = line[1:-1]
            continue
        outcome, name, p, text = line.split(None, 3)
        got.append((label, outcome == "right", name, float(p), text))
    assert [g[:3] + g[4:] for g in got] == [e[:3] + e[4:] for e in expected]
    assert [g[3] for g in got] == pytest.approx([e[3] for e in expected], abs=0.006)

    page = (result.folder / "report.html").read_text(encoding="utf-8")
    checked = parse(page)
    assert checked.errors == []
    assert 'id="examples"' in page
    for *_, text in expected:
        assert text in checked.text
