"""``trainlab strategies [WORD]``: the catalogue on the terminal, without importing torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainlab.cli.strategies import format_details, strategies_command
from trainlab.config.catalogue import ROWS, SECTIONS, find
from trainlab.core.errors import ConfigError

SRC = Path(__file__).resolve().parents[2] / "src"


def _invoke(*args: str):
    return CliRunner().invoke(strategies_command(), list(args))


def test_without_a_word_every_row_is_listed_under_its_section() -> None:
    result = _invoke()
    assert result.exit_code == 0, result.output
    out = result.output
    positions = [out.index(f"{part.spanish} — {part.english}") for part in SECTIONS]
    assert positions == sorted(positions)
    for row in ROWS:
        assert f"{row.status:<8} {row.spanish}" in out and row.english in out
    assert f"{len(ROWS)} strategies" in out


def test_a_word_shows_every_detail_of_the_matching_rows() -> None:
    result = _invoke("paro temprano")
    assert result.exit_code == 0, result.output
    for fragment in (
        "1 strategy matching 'paro temprano'",
        "paro temprano — early stopping",
        "Regularización › Paro temprano",
        "early_stopping.patience",
        "trainlab run --set early_stopping.enabled=true --set early_stopping.patience=3",
        "trainlab.engine.strategies.early_stopping.EarlyStopping",
        "Prechelt (1998)",
        "trainlab study lecture (variant early-stopping)",
    ):
        assert fragment in result.output, fragment


def test_several_words_are_one_search_without_accents() -> None:
    assert _invoke("paro", "temprano").output == _invoke("paro temprano").output
    plain, accented = _invoke("desercion").output, _invoke("deserción").output
    assert plain.splitlines()[1:] == accented.splitlines()[1:]  # all but the echoed word
    assert "model.dropout=0.5" in _invoke("desercion").output


def test_meta_learning_is_built_with_its_study_and_a_command_to_try() -> None:
    out = _invoke("meta-aprendizaje").output
    assert "meta aprendizaje — meta-learning" in out and "status    built" in out
    assert "trainlab run --set meta.method=protonet" in out and "trainlab study meta" in out


def test_a_planned_row_says_what_is_missing() -> None:
    import dataclasses

    built = find("meta-aprendizaje")[0]
    row = dataclasses.replace(
        built,
        status="planned",
        missing="episodes are not built yet",
        keys=(),
        sets=(),
        symbols=(),
        study=None,
        variant=None,
    )
    assert "planned: episodes are not built yet" in format_details([row])


def test_overrides_that_need_it_are_quoted_for_the_shell() -> None:
    out = format_details(find("mixup"))
    assert "trainlab run --set 'augment=[{name: mixup, alpha: 0.2}]'" in out


@pytest.mark.parametrize("word", ["frobnicate", "!?"])
def test_no_match_is_a_one_line_config_error(word: str) -> None:
    result = _invoke(word)
    assert isinstance(result.exception, ConfigError), result.output
    assert "\n" not in str(result.exception)


def test_listing_imports_neither_torch_nor_numpy() -> None:
    code = (
        "import json, sys, time\n"
        "t = time.perf_counter()\n"
        "import trainlab.config.catalogue, trainlab.cli.strategies\n"
        "from click.testing import CliRunner\n"
        "out = CliRunner().invoke(trainlab.cli.strategies.strategies_command(), ['dropout'])\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'numpy': 'numpy' in sys.modules,\n"
        "                  'ok': out.exit_code == 0, 'seconds': time.perf_counter() - t}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["ok"] and not report["torch"] and not report["numpy"], report
