"""The command line: the happy path, and one clear line with exit 2 for every bad input."""

import subprocess
import sys

import numpy as np
import pytest
import torch


def test_listings(cli, one_line_error):
    code, out, _ = cli("datasets")
    assert code == 0 and "fashion-mnist" in out and "mnist1d" in out
    code, out, _ = cli("recipes")
    assert code == 0 and "digits-cnn" in out
    code, out, _ = cli("components")
    assert code == 0 and "he-normal" in out and "onecycle" in out
    code, out, _ = cli("show", "wine-mlp", "--set", "model.dropout=0.25")
    assert code == 0 and "dropout: 0.25" in out


def test_run_and_evaluate(cli, one_line_error, tmp_path):
    code, out, err = cli(
        "run",
        "wine-mlp",
        "--out-dir",
        str(tmp_path),
        "--name",
        "w",
        "-q",
        "--set",
        "train.epochs=3",
    )
    assert code == 0, err
    assert "test accuracy" in out and str(tmp_path / "w") in out
    code, out, _ = cli("evaluate", str(tmp_path / "w" / "model.safetensors"))
    assert code == 0 and "accuracy" in out


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["run", "--set", "model.droput=0.3"], ["model.droput", "dropout"]),
        (["run", "--set", "train.epochs=zero"], ["train.epochs"]),
        (["run", "--set", "model.dropout=2"], ["model.dropout"]),
        (["run", "--set", "data.dataset=imagenet"], ["unknown dataset 'imagenet'"]),
        (["run", "--set", "model.name=resnet"], ["unknown model 'resnet'"]),
        (["run", "--set", "init.scheme=zeros"], ["unknown init scheme 'zeros'"]),
        (["run", "no-such-recipe.yaml"], ["no-such-recipe.yaml"]),
        (["run", "--set", "data.options.colour=1"], ["colour"]),
        (["run", "--nope"], ["--nope"]),
        (["frobnicate"], ["frobnicate"]),
    ],
)
def test_bad_input_is_one_line_exit_2(cli, one_line_error, tmp_path, args, fragments):
    extra = ["--out-dir", str(tmp_path)] if args[0] == "run" and "--nope" not in args else []
    code, _, err = cli(*args, *extra)
    one_line_error(code, err, *fragments)
    assert not any(tmp_path.iterdir())  # nothing written


def _csv(path, rows, header="a,b,label"):
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize(
    ("rows", "options", "fragments"),
    [
        (["1,2,x", "3,4,y"], "{path: %s, target: klass}", ["klass"]),
        (["1,nan,x", "3,4,y"], "{path: %s, target: label}", ["line"]),
        (["1,inf,x", "3,4,y"], "{path: %s, target: label}", ["line"]),
        (["1,abc,x", "3,4,y"], "{path: %s, target: label}", ["abc"]),
        ([], "{path: %s, target: label}", []),
    ],
)
def test_bad_csv(cli, one_line_error, tmp_path, rows, options, fragments):
    f = _csv(tmp_path / "d.csv", rows)
    out = tmp_path / "runs"
    code, _, err = cli(
        "run",
        "wine-mlp",
        "--out-dir",
        str(out),
        "--set",
        "data.dataset=csv",
        "--set",
        "data.options=" + options % f,
    )
    one_line_error(code, err, "d.csv", *fragments)
    assert not out.exists() or not any(out.iterdir())


def test_missing_data_file(cli, one_line_error, tmp_path):
    code, _, err = cli(
        "run",
        "wine-mlp",
        "--out-dir",
        str(tmp_path / "r"),
        "--set",
        "data.dataset=csv",
        "--set",
        f"data.options={{path: {tmp_path / 'absent.csv'}, target: y}}",
    )
    one_line_error(code, err, "absent.csv")


def test_bad_recipe_file(cli, one_line_error, tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("model:\n  widths: [32, 64\n")
    code, _, err = cli("run", str(f))
    one_line_error(code, err, "r.yaml", "line")
    f.write_text("optimizer:\n  name: adam\n  lr: -1\n")
    code, _, err = cli("run", str(f))
    one_line_error(code, err, "optimizer.lr")


def test_bad_checkpoints(cli, one_line_error, tmp_path):
    pkl = tmp_path / "model.pt"
    torch.save({"w": torch.zeros(1)}, pkl)
    code, _, err = cli("evaluate", str(pkl))
    one_line_error(code, err, "pickle")
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(np.random.default_rng(0).bytes(100))
    code, _, err = cli("evaluate", str(junk))
    one_line_error(code, err, "junk.safetensors")
    code, _, err = cli("evaluate", str(tmp_path / "missing.safetensors"))
    one_line_error(code, err, "no such file")


def test_resume_errors(cli, one_line_error, tmp_path):
    code, _, err = cli("run", "--resume", str(tmp_path / "nothing"))
    one_line_error(code, err, "no such unfinished run")
    code, _, err = cli("run", "wine-mlp", "--resume", str(tmp_path))
    one_line_error(code, err, "--resume")


def test_diverging_run_exit_2(cli, one_line_error, tmp_path):
    code, _, err = cli(
        "run",
        "wine-mlp",
        "--out-dir",
        str(tmp_path),
        "--name",
        "d",
        "--set",
        "optimizer.name=sgd",
        "--set",
        "optimizer.lr=1e12",
        "--set",
        "train.epochs=3",
    )
    one_line_error(code, err, "loss became")
    assert not (tmp_path / "d").exists()


def test_console_script_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "trainlab.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "run" in out.stdout and "evaluate" in out.stdout


def _image_folder(root):
    from PIL import Image

    rng = np.random.default_rng(0)
    for k, cls in enumerate(["cats", "dogs"]):
        (root / cls).mkdir(parents=True)
        for i in range(12):
            h, w = (20 + 3 * i, 30) if i % 2 else (28, 18 + 2 * i)
            pixels = rng.integers(0, 60, (h, w, 3), dtype=np.uint8)
            pixels[..., k] += 150  # a class signal: red cats, green dogs
            img = Image.fromarray(pixels)
            (img.convert("L") if i % 3 == 0 else img).save(root / cls / f"{i}.png")
    (root / "cats" / "broken.png").write_bytes(b"not a png")
    return root


def test_image_folder_end_to_end_with_mixed_sizes_and_a_broken_file(cli, one_line_error, tmp_path):
    folder = _image_folder(tmp_path / "pets")
    code, _out, err = cli(
        "run",
        "digits-cnn",
        "--out-dir",
        str(tmp_path / "runs"),
        "--name",
        "pets",
        "-q",
        "--set",
        "data.dataset=image-folder",
        "--set",
        f"data.options.path={folder}",
        "--set",
        "preprocess.image.size=[24, 24]",
        "--set",
        "model.widths=[8, 16]",
        "--set",
        "train.epochs=2",
        "--set",
        "split.val=0.2",
        "--set",
        "split.test=0.2",
    )
    assert code == 0, err
    warnings = [ln for ln in err.splitlines() if ln.startswith("trainlab: warning:")]
    assert any("broken.png" in ln for ln in warnings), err
    assert "Traceback" not in err
    from trainlab.io.model_file import load_model

    _, meta = load_model(tmp_path / "runs" / "pets" / "model.safetensors")
    assert meta["classes"] == ["cats", "dogs"]
    assert meta["preprocess"]["image"]["size"] == [24, 24]
    assert meta["data"]["input_shape"] == [3, 24, 24]  # grayscale and RGB mixed: RGB
    code, _, err = cli(
        "run",
        "digits-cnn",
        "--out-dir",
        str(tmp_path / "runs2"),
        "--set",
        "data.dataset=image-folder",
        "--set",
        f"data.options.path={folder}",
        "--set",
        "data.options.on_error=fail",
    )
    one_line_error(code, err, "broken.png")


def test_kfold_recipe_runs_each_fold(cli, one_line_error, tmp_path):
    accs = []
    for fold in (0, 1):
        code, _out, err = cli(
            "run",
            "wine-mlp",
            "--out-dir",
            str(tmp_path),
            "--name",
            f"f{fold}",
            "-q",
            "--set",
            "split.method=kfold",
            "--set",
            "split.folds=3",
            "--set",
            f"split.fold={fold}",
            "--set",
            "train.epochs=2",
        )
        assert code == 0, err
        import json

        accs.append(json.loads((tmp_path / f"f{fold}" / "metrics.json").read_text()))
    # same test part for every fold, different validation parts
    assert accs[0]["val_loss"] != accs[1]["val_loss"]


def test_augment_preview_writes_a_png(cli, tmp_path):
    out = tmp_path / "preview.png"
    code, stdout, err = cli(
        "augment-preview",
        "digits-cnn",
        "--set",
        "data.limit=100",
        "--set",
        "augment=[{name: affine, rotation: 20, translate: 0.1}]",
        "--rows",
        "2",
        "--draws",
        "3",
        "--out",
        str(out),
    )
    assert code == 0, err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and str(out) in stdout


@pytest.mark.parametrize(
    ("aug", "fragments"),
    [
        ("[{name: affine, scale: [-1, 2]}]", ["scale"]),
        ("[{name: affine, p: 2}]", ["p"]),
        ("[{name: affine, interpolation: cubic}]", ["interpolation"]),
        ("[{name: spin}]", ["unknown augmentation 'spin'"]),
        ("[{rotation: 3}]", ["needs a name"]),
    ],
)
def test_bad_augmentation_is_one_line_exit_2(cli, one_line_error, tmp_path, aug, fragments):
    code, _, err = cli("run", "digits-cnn", "--out-dir", str(tmp_path), "--set", f"augment={aug}")
    one_line_error(code, err, *fragments)
    assert not any(tmp_path.iterdir())
    code, _, err = cli(
        "augment-preview", "--set", f"augment={aug}", "--out", str(tmp_path / "p.png")
    )
    one_line_error(code, err, *fragments)


def test_import_model_bad_source_is_one_line(cli, one_line_error, tmp_path):
    code, _, err = cli("import-model", "keras:resnet", str(tmp_path / "m.safetensors"))
    one_line_error(code, err, "keras:resnet")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing yet\n", "---\n"])
def test_empty_recipe_file_is_an_error_not_the_defaults(cli, one_line_error, tmp_path, text):
    f = tmp_path / "r.yaml"
    f.write_text(text)
    out = tmp_path / "runs"
    code, _, err = cli("run", str(f), "--out-dir", str(out))
    one_line_error(code, err, "r.yaml", "empty", "recipe")
    assert not out.exists()
    code, _, err = cli("show", str(f))
    one_line_error(code, err, "r.yaml", "empty")


def test_empty_study_file_is_an_error(cli, one_line_error, tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("# a study, one day\n")
    code, _, err = cli("study", str(f), "--out-dir", str(tmp_path / "studies"))
    one_line_error(code, err, "s.yaml", "empty", "study")
    assert not (tmp_path / "studies").exists()


def _summary(out: str) -> dict[str, str]:
    """The summary's lines by label (wrapped lines joined; repeated labels joined by |)."""
    rows: dict[str, str] = {}
    label = ""
    for line in out.splitlines()[1:]:
        if line.startswith("  ") and not line.startswith(" " * 26):
            label, text = line[2:26].strip(), line[26:]
            rows[label] = f"{rows[label]} | {text}" if label in rows else text
        elif label:
            rows[label] += " " + line.strip()
    return rows


@pytest.mark.parametrize(
    ("recipe", "sets"),
    [
        ("digits-cnn", ["train.epochs=1", "data.limit=500"]),  # the one-epoch digits run
        ("mnist1d-cnn", ["train.epochs=2", "data.limit=500"]),  # the short mnist1d run
    ],
)
def test_run_summary_names_each_accuracy_and_agrees_with_the_diagnosis(cli, tmp_path, recipe, sets):
    args = ["run", recipe, "--out-dir", str(tmp_path), "--name", "r", "-q"]
    for s in sets:
        args += ["--set", s]
    code, out, err = cli(*args)
    assert code == 0, err
    rows = _summary(out)
    final, note = rows["training accuracy"].split(maxsplit=1)
    assert note == "final weights, evaluation mode"
    running, note = rows["running train accuracy"].split(maxsplit=1)
    assert note.startswith("during epoch") and "training mode" in note
    assert rows["generalization gap"].endswith("training − test accuracy, final weights")
    gap = float(rows["generalization gap"].split()[0])
    test = float(rows["test accuracy"])
    assert gap == pytest.approx(float(final) - test, abs=2e-4)
    diagnosis = rows["diagnosis"]
    assert f"{100 * float(final):.1f}%" in diagnosis  # the diagnosis cites the printed number
    assert "(final weights)" in diagnosis or "with the final weights" in diagnosis
    assert f"{100 * float(running):.1f}%" not in diagnosis or "running" in diagnosis
    # 43% running against 30% validation was called overfitting; the final weights show no gap
    assert rows["verdict"] == "underfitting"
    assert "optimizer steps" in rows["warning"] and "`train.epochs`" in rows["warning"]


def test_datasets_lists_every_option_with_its_default(cli):
    code, out, _ = cli("datasets")
    assert code == 0
    flat = " ".join(out.split())
    for option in ("path (required)", "target (required)", "columns (default null)"):
        assert option in flat, option
    for option in ("delimiter (default ',')", "decimal (default .)", "task (default auto)"):
        assert option in flat, option
    assert "missing (default ['', '?', NA," in flat
    assert "source (default mnist)" in flat and "on_error (default skip)" in flat


def test_recipes_lists_the_tabular_starters(cli):
    code, out, _ = cli("recipes")
    assert code == 0
    for name in ("tabular-classification", "tabular-regression", "diabetes-mlp"):
        line = next(ln for ln in out.splitlines() if ln.startswith(name))
        assert line.split()[0] == name  # the name column is wide enough for the longest name


def test_a_starter_without_its_file_says_which_options_to_set(cli, one_line_error, tmp_path):
    code, _, err = cli("run", "tabular-regression", "--out-dir", str(tmp_path))
    one_line_error(code, err, "'path', 'target'", "--set data.options.path=")
    assert not any(tmp_path.iterdir())


def test_tabular_regression_on_the_flowers(cli, tmp_path):
    from flowerkit import write_flowers

    flowers = write_flowers(tmp_path / "flowers.csv")
    code, out, err = cli(
        "run",
        "tabular-regression",
        "--set",
        f"data.options.path={flowers}",
        "--set",
        "data.options.target=petal_width",
        "--set",
        "train.epochs=3",
        "-q",
        "--out-dir",
        str(tmp_path / "runs"),
        "--name",
        "w",
    )
    assert code == 0, err
    rows = _summary(out)
    for label in ("test RMSE", "test MAE", "test R²", "validation RMSE", "training RMSE"):
        assert label in rows, label
    assert "accuracy" not in out
    assert rows["generalization gap"].endswith("test − training RMSE, final weights")
    code, out, err = cli("evaluate", str(tmp_path / "runs" / "w"), "--file", str(flowers))
    assert code == 0 and "RMSE" in out and "n=150" in out, err


def test_the_default_recipe_on_a_csv_trains_an_mlp_named_after_the_file(cli, tmp_path):
    from flowerkit import write_flowers

    flowers = write_flowers(tmp_path / "flowers.csv")
    code, out, err = cli(
        "run",
        "--set",
        "data.dataset=csv",
        "--set",
        f"data.options={{path: {flowers}, target: species}}",
        "--set",
        "train.epochs=1",
        "-q",
        "--out-dir",
        str(tmp_path / "runs"),
    )
    assert code == 0, err
    assert "CNN" not in err
    assert _summary(out)["model"].startswith("mlp  picked for tabular data")
    (folder,) = (tmp_path / "runs").iterdir()
    assert folder.name.startswith("flowers-mlp-")
    from trainlab.config.recipe import Recipe

    assert Recipe.load(folder / "recipe.yaml").model.name == "mlp"  # the saved recipe names it
