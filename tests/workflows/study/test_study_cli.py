"""`trainlab study` and `trainlab studies`: happy path and one-line errors with exit 2."""

import sqlite3

import pytest


def _write(tmp_path, text):
    p = tmp_path / "s.yaml"
    p.write_text(text)
    return str(p)


GOOD = """name: tiny
base: wine-mlp
base_set: {train.epochs: 2}
seeds: [0, 1]
probes: false
variants:
  baseline: {}
  l2: {regularization.l2: 0.01}
"""


def test_studies_listing(cli, one_line_error):
    code, out, _ = cli("studies")
    assert code == 0 and "lecture" in out and "tabular" in out


def test_study_runs_and_prints_table(cli, one_line_error, tmp_path):
    code, out, err = cli("study", _write(tmp_path, GOOD), "--out-dir", str(tmp_path / "out"), "-q")
    assert code == 0, err
    assert "baseline" in out and "l2" in out and "report.html" in out
    assert (tmp_path / "out" / "tiny" / "report.html").exists()


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (GOOD.replace("regularization.l2", "regularization.l22"), ["variants.l2", "l22"]),
        (GOOD.replace("seeds: [0, 1]", "seeds: []"), ["seed"]),
        (GOOD + "  l2: {model.dropout: 0.1}\n", ["duplicate key 'l2'"]),
        (GOOD.replace("base: wine-mlp", "base: nope"), ["nope"]),
        (GOOD.replace("name: tiny", "name: tiny\ncolour: red"), ["colour"]),
    ],
)
def test_bad_study_files(cli, one_line_error, tmp_path, text, fragments):
    code, _, err = cli("study", _write(tmp_path, text), "--out-dir", str(tmp_path / "out"))
    one_line_error(code, err, *fragments)
    assert not (tmp_path / "out").exists()


def test_bad_seeds_option(cli, one_line_error, tmp_path):
    code, _, err = cli("study", _write(tmp_path, GOOD), "--seeds", "a,b")
    one_line_error(code, err, "--seeds")


def test_incompatible_store_is_refused_and_untouched(cli, one_line_error, tmp_path):
    folder = tmp_path / "out" / "tiny"
    folder.mkdir(parents=True)
    db = folder / "study.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '999')")
    con.commit()
    con.close()
    before = db.read_bytes()
    code, _, err = cli("study", _write(tmp_path, GOOD), "--out-dir", str(tmp_path / "out"))
    one_line_error(code, err, "study.sqlite")
    assert db.read_bytes() == before
