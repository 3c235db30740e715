import pytest

from trainlab.core.errors import ConfigError
from trainlab.workflows.study.builtin import builtin_studies
from trainlab.workflows.study.spec import StudySpec


def _spec(**kw):
    data = {"name": "s", "base": "wine-mlp", "seeds": [0, 1], "variants": {"baseline": {}}}
    data.update(kw)
    return StudySpec.from_dict(data)


def test_variants_seeds_and_recipes():
    spec = _spec(
        variants={"baseline": {}, "both": {"model.dropout": 0.3, "regularization.l2": 0.1}}
    )
    trials = spec.trials()
    assert [(v, s) for v, s, _ in trials] == [
        ("baseline", 0),
        ("both", 0),
        ("baseline", 1),
        ("both", 1),
    ]
    r = spec.recipe_for("both", 1)
    assert (r.seed, r.model.dropout, r.regularization.l2) == (1, 0.3, 0.1)
    assert spec.against("both") == "baseline" and spec.against("baseline") is None


def test_repeats_and_against():
    spec = _spec(
        seeds=None,
        repeats=4,
        variants={
            "baseline": {},
            "deep": {"set": {"model.widths": [8, 8, 8]}, "against": "deep"},
            "deep-he": {"set": {"init.scheme": "he-normal"}, "against": "deep"},
        },
    )
    assert spec.seeds == [0, 1, 2, 3]
    assert spec.against("deep-he") == "deep"


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"variants": {"baseline": {}, "bad": {"model.droput": 0.5}}}, "variants.bad"),
        ({"variants": {"baseline": {}, "bad": {"model.dropout": 7}}}, "model.dropout"),
        ({"seeds": []}, "at least one seed"),
        ({"seeds": [1, 1]}, "seeds repeat"),
        ({"variants": {"dropout": {}}}, "baseline 'baseline' is not a variant"),
        ({"variants": {"baseline": {}, "x": {"set": {}, "against": "nope"}}}, "nope"),
        ({"variants": {"baseline": {}, "x": {"set": {}, "versus": "baseline"}}}, "versus"),
        ({"colour": 1}, "unknown key 'colour'"),
        ({"base": "no-such-recipe"}, "no-such-recipe"),
    ],
)
def test_bad_specs(kw, fragment):
    with pytest.raises(ConfigError, match=fragment):
        _spec(**kw)


def test_duplicate_variant_name_refused():
    text = (
        "name: s\nbase: wine-mlp\nvariants:\n  baseline: {}\n  a: {}\n  a: {model.dropout: 0.1}\n"
    )
    with pytest.raises(ConfigError, match="duplicate key 'a'"):
        StudySpec.from_yaml_text(text)


def test_yaml_merge_keys_allowed():
    text = (
        "name: s\nbase: wine-mlp\nvariants:\n  baseline: {}\n"
        "  a: {set: &d {model.dropout: 0.1, regularization.l2: 0.5}}\n"
        "  b: {set: {<<: *d, model.dropout: 0.2}}\n"
    )
    spec = StudySpec.from_yaml_text(text)
    r = spec.recipe_for("b", 0)
    assert r.model.dropout == 0.2 and r.regularization.l2 == 0.5


@pytest.mark.parametrize("name", sorted(builtin_studies()))
def test_builtin_studies_validate(name):
    spec = StudySpec.load(name)
    assert spec.baseline in [v.name for v in spec.variants]


def test_save_models_names_variants():
    from trainlab.core.errors import ConfigError

    base = {"name": "s", "base": "wine-mlp", "variants": {"baseline": {}, "b": {}}}
    assert StudySpec.from_dict({**base, "save_models": ["b"]}).saved_variants == {"b"}
    assert StudySpec.from_dict({**base, "save_models": True}).saved_variants == {"baseline", "b"}
    assert StudySpec.from_dict(base).saved_variants == set()
    with pytest.raises(ConfigError, match="save_models: no variant named 'c'"):
        StudySpec.from_dict({**base, "save_models": ["c"]})


def test_a_variant_can_start_from_a_checkpoint():
    spec = StudySpec.from_dict(
        {
            "name": "s",
            "base": "digits-cnn",
            "variants": {
                "baseline": {},
                "pretrained": {
                    "transfer.checkpoint": "base-seed{seed}.safetensors",
                    "transfer.strategy": "freeze-first-n",
                    "transfer.stages": 2,
                },
            },
        }
    )
    r = spec.recipe_for("pretrained", 3)
    assert r.transfer.checkpoint == "base-seed{seed}.safetensors" and r.transfer.stages == 2


def test_a_study_names_its_correction_and_level():
    base = {"name": "c", "base": "wine-mlp", "variants": {"baseline": {}, "l2": {}}}
    spec = StudySpec.from_dict(base)
    assert (spec.correction, spec.alpha) == ("holm", 0.05)
    spec = StudySpec.from_dict({**base, "correction": "benjamini-hochberg", "alpha": 0.1})
    assert (spec.correction, spec.alpha) == ("bh", 0.1)
    with pytest.raises(ConfigError, match=r"correction.*holm"):
        StudySpec.from_dict({**base, "correction": "tukey"})
    with pytest.raises(ConfigError, match="alpha"):
        StudySpec.from_dict({**base, "alpha": 1.5})


def test_the_studys_correction_reaches_its_verdicts():
    from types import SimpleNamespace as T

    from trainlab.workflows.study.comparisons import summarize_study

    base = {"name": "c", "base": "wine-mlp", "variants": {"baseline": {}, "a": {}, "b": {}}}
    trials = [
        T(variant=v, seed=s, status="done", metrics={"test_acc": 0.9 + d * (1 + 0.1 * s)})
        for v, d in (("baseline", 0.0), ("a", 0.02), ("b", 0.021))
        for s in range(3)
    ]
    holm = summarize_study(StudySpec.from_dict(base), trials)
    bh = summarize_study(StudySpec.from_dict({**base, "correction": "bh"}), trials)
    assert {s.correction for s in holm[1:]} == {"holm"} and {s.correction for s in bh[1:]} == {"bh"}
    assert all(b.p_adjusted <= h.p_adjusted for b, h in zip(bh[1:], holm[1:], strict=True))
