"""Bad task settings and bad targets: one line naming what is wrong, exit 2, nothing written."""

import pytest

_TABLE = "a,b,price,kind\n1,2,3.5,x\n2,3,4.25,y\n3,1,5.0,x\n4,4,6.5,y\n5,2,2.75,x\n6,3,8.0,y\n"


@pytest.mark.parametrize(
    "sets, fragments",
    [
        (["task.type=regression"], ["task.type: regression", "'label' holds classes"]),
        (["task.type=ranking"], ["task.type", "'ranking'"]),
        (
            ["task.targets=[weight,colour]", "data.dataset=linnerud"],
            ["no target 'colour'", "weight, waist, pulse"],
        ),
        (["task.type=multitask"], ["multitask needs several targets"]),
        (["multitask.weights={weight: -1}"], ["multitask.weights", "≥ 0"]),
        (
            [
                "data.dataset=linnerud",
                "task.targets=[weight,pulse]",
                "multitask.weights={waist: 2}",
            ],
            ["multitask.weights", "no learned target 'waist'"],
        ),
        (["data.dataset=diabetes", "task.loss=cross-entropy"], ["task.loss", "regression target"]),
        (
            [
                "data.dataset=diabetes",
                "early_stopping.enabled=true",
                "early_stopping.monitor=val_acc",
            ],
            ["early_stopping.monitor", "val_rmse"],
        ),
        (["data.dataset=diabetes", "regularization.label_flip=0.1"], ["regularization.label_flip"]),
    ],
)
def test_bad_task_is_one_line_exit_2(cli, one_line_error, tmp_path, sets, fragments):
    args = ["run", "wine-mlp", "--out-dir", str(tmp_path / "runs"), "-q"]
    for s in sets:
        args += ["--set", s]
    code, _, err = cli(*args)
    one_line_error(code, err, *fragments)
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.mark.parametrize(
    "table, target, fragments",
    [
        (_TABLE.replace("4.25", "cheap"), "price", ["line 3", "'price'", "cheap"]),
        (_TABLE.replace("4.25", "nan"), "price", ["line 3", "'price'"]),
        (_TABLE.replace("4.25", "inf"), "price", ["line 3", "'price'"]),
        (_TABLE, "[price, colour]", ["no target column 'colour'"]),
    ],
)
def test_bad_targets_are_one_line_exit_2(cli, one_line_error, tmp_path, table, target, fragments):
    path = tmp_path / "table.csv"
    path.write_text(table)
    args = [
        "run",
        "wine-mlp",
        "--out-dir",
        str(tmp_path / "runs"),
        "-q",
        "--set",
        "data.dataset=csv",
        "--set",
        f"data.options.path={path}",
        "--set",
        f"data.options.target={target}",
        "--set",
        "data.options.task=regression",
    ]
    code, _, err = cli(*args)
    one_line_error(code, err, *fragments)
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())
