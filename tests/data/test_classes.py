import numpy as np
import pytest

from trainlab.core.errors import ConfigError
from trainlab.data import ArrayData, DataBundle
from trainlab.data.classes import select_classes


def _bundle():
    y = np.array([0, 1, 2, 3, 0, 1, 2, 3])
    test = ArrayData(np.arange(4, dtype=np.float32)[:, None], np.array([3, 2, 1, 0]))
    return DataBundle(
        "toy",
        "tabular",
        ArrayData(y[:, None].astype(np.float32), y),
        ["a", "b", "c", "d"],
        test=test,
    )


def test_keeps_and_relabels_in_the_given_order():
    s = select_classes(_bundle(), ["d", "b"])
    assert s.classes == ["d", "b"]
    assert s.train.y.tolist() == [1, 0, 1, 0]
    assert s.train.x[:, 0].tolist() == [1, 3, 1, 3]  # the examples follow their labels
    assert s.test.y.tolist() == [0, 1] and s.test.x[:, 0].tolist() == [0, 2]
    assert "classes d, b only" in s.notes[-1]


def test_indices_and_names_mix():
    assert select_classes(_bundle(), [2, "a"]).classes == ["c", "a"]


def test_none_is_everything():
    b = _bundle()
    assert select_classes(b, None) is b


@pytest.mark.parametrize(
    ("wanted", "fragment"),
    [(["z"], "no class 'z'"), ([9], "no class 9"), ([1, "b"], "names a class twice")],
)
def test_unknown_or_repeated_classes(wanted, fragment):
    with pytest.raises(ConfigError, match=fragment):
        select_classes(_bundle(), wanted)


def test_digit_names_are_matched_as_names():
    from trainlab.config.recipe import Recipe
    from trainlab.workflows.prepare import prepare_data

    r = Recipe.load("digits-cnn").override({"data.classes": [7, 3], "data.limit": 300})
    d = prepare_data(r)
    assert d.classes == ["7", "3"] and set(d.train[1].tolist()) == {0, 1}


def test_recipe_refuses_repeats(cli, one_line_error):
    code, _, err = cli("run", "--set", "data.classes=[1, 1]")
    one_line_error(code, err, "data.classes", "repeat")
