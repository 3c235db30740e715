"""The strategy catalogue stays honest: its code, keys, studies and commands exist, search works."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from trainlab.config.catalogue import (
    ROWS,
    SECTIONS,
    Row,
    find,
    fold,
    render_markdown,
)
from trainlab.config.catalogue.markdown import main
from trainlab.config.recipe import Recipe, parse_assignments
from trainlab.core.errors import ConfigError

DOC = Path(__file__).resolve().parents[2] / "docs" / "lecture.md"
REGENERATE = "PYTHONPATH=src python -m trainlab.config.catalogue docs/lecture.md"


def _ids(row: Row) -> str:
    return fold(row.english).replace(" ", "-")


def _resolve(dotted: str) -> Any:
    """The object at ``dotted``: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)  # AttributeError: the symbol does not exist
        return obj
    raise ModuleNotFoundError(dotted)


def _recipe_field(key: str) -> None:
    """Walk ``Recipe``'s pydantic fields along ``key``; AssertionError if one is missing."""
    model: type[BaseModel] | None = Recipe
    for i, part in enumerate(key.split(".")):
        assert model is not None, f"{key}: {'.'.join(key.split('.')[:i])} is not a section"
        assert part in model.model_fields, f"{key}: no field {part!r} in {model.__name__}"
        annotation = model.model_fields[part].annotation
        is_section = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        model = annotation if is_section else None


def _dotted(data: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        data = data[part]
    return data


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_every_code_symbol_imports_and_exists(row: Row) -> None:
    for symbol in row.symbols:
        assert symbol.startswith("trainlab."), symbol
        assert _resolve(symbol) is not None


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_every_recipe_key_is_a_field_of_the_recipe(row: Row) -> None:
    for key in row.keys:
        _recipe_field(key)


@pytest.mark.parametrize("row", [r for r in ROWS if r.sets], ids=_ids)
def test_every_set_makes_a_valid_recipe_of_known_components(row: Row) -> None:
    from trainlab.augment.pipeline import build_augmentations
    from trainlab.engine.transfer.plans import TRANSFERS
    from trainlab.models.init import INITS
    from trainlab.preprocess.normalize import NORMALIZERS

    registries = {
        "init.scheme": INITS,
        "preprocess.normalize": NORMALIZERS,
        "transfer.strategy": TRANSFERS,
    }
    recipe = Recipe().override(list(row.sets))
    for key, value in parse_assignments(list(row.sets)).items():
        assert _dotted(recipe.to_dict(), key) == value, key
        if key in registries:
            assert value in registries[key], f"{key}={value}"
        if key == "augment":
            build_augmentations(value)  # the tensor or the text registry


@pytest.mark.parametrize("row", [r for r in ROWS if r.study], ids=_ids)
def test_every_study_and_variant_exists_and_switches_the_strategy_on(row: Row) -> None:
    from trainlab.workflows.study.builtin import builtin_studies
    from trainlab.workflows.study.spec import StudySpec

    assert row.study in builtin_studies(), f"no built-in study {row.study!r}"
    if row.variant is None:
        return
    spec = StudySpec.load(row.study)
    assert row.variant in [v.name for v in spec.variants], f"{row.study}: no {row.variant!r}"
    base = spec.base.to_dict()
    arm = spec.recipe_for(row.variant, spec.seeds[0]).to_dict()
    changed = [k for k in row.keys if _dotted(arm, k) != _dotted(base, k)]
    assert changed, f"{row.study}/{row.variant} changes none of {row.keys}"


@pytest.mark.parametrize("row", [r for r in ROWS if r.command], ids=_ids)
def test_every_command_exists(row: Row) -> None:
    from trainlab.cli.main import cli

    program, name, *_ = row.command.split()
    assert program == "trainlab" and name in cli.commands, row.command


def test_every_built_row_has_code_and_a_way_in() -> None:
    for row in ROWS:
        if row.status == "built":
            assert row.symbols, row.spanish
            assert row.keys or row.command, row.spanish
        else:
            assert row.missing and "not built yet" in row.missing, row.spanish


def test_meta_learning_is_built_and_found_in_both_languages() -> None:
    for words in ("meta aprendizaje", "meta-learning", "MAML", "redes prototípicas", "few-shot"):
        found = find(words)
        assert found and found[0].status == "built", words
        assert found[0].study == "meta", words


def test_self_supervised_pretraining_is_built_and_found_in_both_languages() -> None:
    for words in ("aprendizaje autosupervisado", "self-supervised", "SimCLR", "rotación"):
        found = find(words)
        assert found and all(row.status == "built" for row in found[:1]), words
    assert find("autosupervisado")[0].study == "few-labels"


def test_the_lecture_audio_is_built() -> None:
    audio = [row for row in ROWS if "audio" in row.topic.lower()]
    assert len(audio) == 5 and all(row.status == "built" for row in audio)


def test_multitask_learning_is_built_and_found_in_both_languages() -> None:
    found = find("multitarea")
    assert [row.english for row in found] == [
        "multitask learning",
        "hard parameter sharing",
        "soft parameter sharing",
        "cross-stitch units",
        "uncertainty weighting of task losses",
    ]
    assert all(row.status == "built" for row in found)
    assert find("multitask") == found
    assert [str(row.paper).split(" (")[0] for row in found] == [
        "Caruana",
        "Caruana",
        "Duong, Cohn, Bird & Cook",
        "Misra, Shrivastava, Gupta & Hebert",
        "Kendall, Gal & Cipolla",
    ]


@pytest.mark.parametrize(
    ("word", "key", "value"),
    [
        ("error cuadrático medio", "task.loss", "mse"),
        ("MAE", "task.loss", "mae"),
        ("Huber", "task.loss", "huber"),
        ("one-hot", "preprocess.categorical", "onehot"),
        ("valores faltantes", "preprocess.impute", "median"),
        ("missing values", "preprocess.impute", "median"),
        ("uncertainty weighting", "multitask.weighting", "uncertainty"),
    ],
)
def test_tasks_losses_and_table_preprocessing_have_rows(word: str, key: str, value: str) -> None:
    row = find(word)[0]
    assert row.status == "built" and f"{key}={value}" in row.sets


def test_every_lecture_section_has_rows_and_every_row_a_section() -> None:
    keys = [s.key for s in SECTIONS]
    assert len(set(keys)) == len(keys)
    for part in SECTIONS:
        assert any(row.section == part.key for row in ROWS), part.spanish
    assert all(row.section in keys for row in ROWS)


def test_terms_are_unique_in_each_language() -> None:
    for language in ("spanish", "english"):
        terms = [fold(getattr(row, language)) for row in ROWS]
        assert len(set(terms)) == len(terms), language


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_search_finds_each_row_first_by_its_spanish_and_its_english_term(row: Row) -> None:
    for term in (row.spanish, row.english, row.spanish.upper(), fold(row.spanish)):
        found = find(term)
        assert found and found[0] == row, term


@pytest.mark.parametrize("word", ["deserción", "desercion", "DESERCIÓN", "dropout", "Dropout"])
def test_search_ignores_case_and_accents(word: str) -> None:
    assert find(word)[0].keys == ("model.dropout",)


def test_ruido_finds_the_three_noise_rows() -> None:
    noise = {
        "regularization.input_noise",
        "regularization.label_flip",
        "regularization.weight_noise",
    }
    found = find("ruido")
    assert noise <= {row.keys[0] for row in found if row.keys}
    assert all("ruido" in fold(row.spanish) for row in found)


@pytest.mark.parametrize(
    ("word", "spanish"),
    [
        ("meta-aprendizaje", "meta aprendizaje"),
        ("auto-supervisado", "aprendizaje autosupervisado"),
        ("normalización min-max", "escalado (min-max)"),
        ("aprendizaje multitarea", "aprendizaje de múltiples tareas"),
        ("normalización por lote", "normalización por lotes"),
        ("ruido en salidas", "adición de ruido a salidas"),
        ("detección de sobreajuste", "identificar el sobreajuste"),
        ("espectrograma", "espectogramas"),
        ("SpecAugment", "enmascaramiento del espectograma"),
        ("time warping", "enmascaramiento del espectograma"),
        ("pasa banda", "filtrado de bandas"),
        ("pitch shift", "cambiar la velocidad o tono"),
        ("N(0, 0.01)", "distribución gaussiana con media 0 y varianza 0.01"),
        ("early_stopping.patience", "paro temprano"),
        ("EarlyStopping", "paro temprano"),
        ("xavier", "uniforme de Glorot y Bengio"),
        ("k-fold", "validación cruzada de k particiones"),
    ],
)
def test_search_finds_synonyms_spellings_keys_and_code(word: str, spanish: str) -> None:
    assert find(word)[0].spanish == spanish


def test_penalizacion_l1_l2_finds_both_penalties() -> None:
    assert {row.keys[0] for row in find("penalización L1/L2")[:2]} == {
        "regularization.l1",
        "regularization.l2",
    }


def test_search_drops_matches_inside_words_when_a_word_matches() -> None:
    he = find("He")
    assert [row.english for row in he[:2]] == ["He (Kaiming) normal", "He (Kaiming) uniform"]
    assert all(row.english != "shear" for row in he)  # "she|ar" holds "he" inside a word
    assert find("zzzz") == []


@pytest.mark.parametrize("word", ["", "  ", "!?", "—"])
def test_a_word_without_letters_is_a_one_line_error(word: str) -> None:
    with pytest.raises(ConfigError, match="expected letters or digits") as e:
        find(word)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"section": "nowhere"}, "unknown section"),
        ({"status": "planned"}, "says what is missing"),
        ({"missing": "nothing"}, "says what is missing"),
        ({"variant": "dropout"}, "needs its study"),
        ({"words": "dropout"}, "tuples of strings"),
        ({"sets": ("model.dropout=0.5",)}, "not among the row's keys"),
    ],
)
def test_a_row_checks_itself(changes: dict[str, Any], fragment: str) -> None:
    fields = {"section": "regularizacion", "topic": "t", "spanish": "s", "english": "e"}
    with pytest.raises(ValueError, match=fragment):
        Row(**{**fields, **changes})


def test_docs_lecture_md_is_generated_from_the_table() -> None:
    assert DOC.is_file(), f"docs/lecture.md is missing: run {REGENERATE}"
    committed = DOC.read_text(encoding="utf-8")
    assert committed == render_markdown(), f"docs/lecture.md is stale: run {REGENERATE}"


def test_the_page_has_every_section_and_row(tmp_path: Path, capsys) -> None:
    main([str(tmp_path / "lecture.md")])
    page = (tmp_path / "lecture.md").read_text(encoding="utf-8")
    assert page == render_markdown() and "wrote" in capsys.readouterr().out
    for part in SECTIONS:
        assert f"## {part.spanish} — {part.english}" in page
    for row in ROWS:
        assert f"| {row.spanish}" in page
