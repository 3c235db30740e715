import pytest

from trainlab.config.recipe import Recipe, parse_assignments
from trainlab.config.recipes import builtin_recipes
from trainlab.core.errors import ConfigError


def test_defaults_validate_and_roundtrip_yaml():
    r = Recipe()
    assert Recipe.from_yaml_text(r.to_yaml()) == r


@pytest.mark.parametrize("name", sorted(builtin_recipes()))
def test_builtin_recipes_load(name):
    r = Recipe.load(name)
    assert r.name == name


def test_override_parses_yaml_values():
    r = Recipe().override(["model.widths=[8, 16]", "model.batch_norm=false", "optimizer.lr=1e-2"])
    assert r.model.widths == [8, 16]
    assert r.model.batch_norm is False
    assert r.optimizer.lr == pytest.approx(0.01)


def test_override_from_mapping():
    r = Recipe().override({"regularization.l2": 0.001})
    assert r.regularization.l2 == 0.001


def test_unknown_key_names_key_and_choices():
    with pytest.raises(ConfigError) as e:
        Recipe.from_dict({"model": {"droput": 0.5}})
    msg = str(e.value)
    assert "model.droput" in msg and "dropout" in msg


def test_wrong_type_names_key_and_value():
    with pytest.raises(ConfigError, match=r"train\.epochs"):
        Recipe.from_dict({"train": {"epochs": "many"}})


def test_out_of_range_value():
    with pytest.raises(ConfigError, match=r"model\.dropout"):
        Recipe().override(["model.dropout=1.5"])


def test_unknown_section_in_override():
    with pytest.raises(ConfigError, match="unknown key 'modle'"):
        Recipe().override(["modle.dropout=0.5"])


def test_split_fractions_checked():
    with pytest.raises(ConfigError, match="val \\+ test"):
        Recipe().override({"split.val": 0.5, "split.test": 0.5})


def test_assignment_without_equals():
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_assignments(["model.dropout"])


def test_bad_yaml_names_line(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("model:\n  dropout: [0.1\n")
    with pytest.raises(ConfigError, match="line"):
        Recipe.load(p)


def test_missing_recipe_file():
    with pytest.raises(ConfigError, match="no such file"):
        Recipe.load("does-not-exist.yaml")


def test_top_level_not_mapping():
    with pytest.raises(ConfigError, match="mapping"):
        Recipe.from_yaml_text("- 1\n- 2\n")


def test_duplicate_key_is_an_error_not_silently_the_last():
    with pytest.raises(ConfigError, match="duplicate key 'dropout'"):
        Recipe.from_yaml_text("model:\n  dropout: 0.1\n  dropout: 0.5\n")


@pytest.mark.parametrize("text", ["", "  \n", "# only a comment\n", "---\n"])
def test_empty_recipe_is_an_error_not_the_defaults(tmp_path, text):
    with pytest.raises(ConfigError, match="empty"):
        Recipe.from_yaml_text(text)
    p = tmp_path / "r.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError, match=r"r\.yaml: the file is empty"):
        Recipe.load(p)


def test_explicit_empty_mapping_is_the_defaults():
    assert Recipe.from_yaml_text("{}\n") == Recipe()


def test_null_recipe_is_not_a_mapping():
    with pytest.raises(ConfigError, match="mapping"):
        Recipe.from_yaml_text("null\n")
