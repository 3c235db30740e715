"""`--lang`: the reports' language on the command line, and a bad one as a one-line error."""

import pytest

from trainlab.cli._common import LANG_CHOICES
from trainlab.engine.diagnose.messages import LANGS


def test_the_flag_offers_exactly_the_languages_of_the_messages():
    assert LANG_CHOICES == LANGS == ("en", "es")


@pytest.mark.parametrize("command", [["run", "wine-mlp"], ["study", "lecture"]])
def test_an_unknown_language_is_one_line_exit_2_naming_en_and_es(cli, one_line_error, command):
    code, _, err = cli(*command, "--lang", "fr")
    one_line_error(code, err, "--lang", "fr", "en", "es")


def test_a_run_with_lang_es_writes_a_spanish_report(cli, tmp_path):
    code, _, err = cli(
        "run",
        "wine-mlp",
        "--set",
        "train.epochs=2",
        "--out-dir",
        str(tmp_path),
        "--name",
        "r",
        "--lang",
        "es",
        "-q",
    )
    assert code == 0, err
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "Historial de entrenamiento" in page
    assert (tmp_path / "r" / "lang").read_text().strip() == "es"
