"""Text end to end: a CSV of texts → bags of words or id sequences → a trained, saved model."""

from __future__ import annotations

import numpy as np
import pytest

from textkit import topics_recipe, write_topics
from trainlab.core.errors import ConfigError, DataError
from trainlab.workflows.evaluate import evaluate_checkpoint
from trainlab.workflows.prepare import prepare_data, preprocess_state
from trainlab.workflows.run import run_recipe


@pytest.fixture(scope="module")
def topics(tmp_path_factory):
    return write_topics(tmp_path_factory.mktemp("texts") / "topics.csv")


_recipe = topics_recipe


def _cli_run(cli, topics, out, *sets):
    """``trainlab run`` on the topics file with ``--set`` overrides, into ``out``."""
    args = ["--set", "data.dataset=text-csv", "--set", f"data.options={{path: {topics}}}"]
    for s in sets:
        args += ["--set", s]
    return cli("run", *args, "--out-dir", str(out))


def test_the_pipeline_is_fitted_on_the_training_split_and_saved(topics):
    data = prepare_data(_recipe(topics))
    assert data.modality == "text" and data.summary["representation"] == "tfidf"
    assert data.train[0].dtype.is_floating_point and data.in_shape == (
        len(data.text.feature_names),
    )
    again = prepare_data(_recipe(topics), fitted=preprocess_state(data))
    assert again.text.state_dict() == data.text.state_dict()
    assert (again.test[0] == data.test[0]).all()


@pytest.mark.parametrize(
    ("sets", "model"),
    [({}, "mlp"), ({"preprocess.text.representation": "sequence"}, "embedding-bag")],
)
def test_a_run_learns_the_topics_and_its_model_file_scores_the_same(topics, tmp_path, sets, model):
    result = run_recipe(_recipe(topics, **sets), out_dir=tmp_path)
    assert result.metrics["test_acc"] >= 0.9
    from trainlab.io.model_file import load_model

    assert load_model(result.folder / "model.safetensors")[1]["model"]["name"] == model
    assert evaluate_checkpoint(result.folder)["acc"] == pytest.approx(result.metrics["test_acc"])


def test_a_language_without_a_stemmer_is_named(topics):
    with pytest.raises(ConfigError, match=r"preprocess\.text"):
        prepare_data(
            _recipe(topics, **{"preprocess.text.language": "xx", "preprocess.text.stem": True})
        )


def test_predict_reads_lines_or_the_text_column(topics, tmp_path):
    from trainlab.workflows.predict import predict_file

    result = run_recipe(_recipe(topics), out_dir=tmp_path)
    lines = tmp_path / "new.txt"
    lines.write_text(
        "the coach and the fans cheered the team\n\nfresh bread with butter\n", "utf-8"
    )
    table = predict_file(result.folder, lines)
    assert table.columns[:2] == ["text", "label"]
    assert [row[1] for row in table.rows] == ["sport", "food"]
    column = tmp_path / "new.csv"
    column.write_text("text,id\nsalad and soup from the oven,1\nthe league match,2\n", "utf-8")
    assert [row[1] for row in predict_file(result.folder, column).rows] == ["food", "sport"]
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    with pytest.raises(DataError, match=r"bad\.txt"):
        predict_file(result.folder, tmp_path / "bad.txt")


def test_the_preview_prints_each_augmentation_of_a_text(topics, tmp_path, cli):
    code, out, _ = cli(
        "augment-preview",
        "--set",
        "data.dataset=text-csv",
        "--set",
        f"data.options={{path: {topics}}}",
        "--set",
        "augment=[{name: word-swap}, {name: char-delete, rate: 0.2}]",
        "--rows",
        "2",
        "--out",
        str(tmp_path / "p.png"),
    )
    assert code == 0, out
    text = (tmp_path / "p.txt").read_text(encoding="utf-8")
    assert text in out
    blocks = [b for b in text.split("\n\n") if b.strip()]
    assert len(blocks) == 2 and {b.splitlines()[0] for b in blocks} == {"[food]", "[sport]"}
    rows = dict(line.split(None, 1) for line in blocks[0].splitlines()[1:])
    assert set(rows) == {"original", "word-swap", "char-delete", "all"}
    assert sorted(rows["word-swap"].split()) == sorted(rows["original"].split())
    assert len(rows["char-delete"]) < len(rows["original"])


def test_a_text_augmentation_on_images_is_refused(one_line_error, cli, tmp_path):
    code, _, err = cli(
        "augment-preview",
        "digits-cnn",
        "--set",
        "augment=[{name: keyboard}]",
        "--out",
        str(tmp_path / "p.png"),
    )
    one_line_error(code, err, "text augmentation", "image")


def test_text_augmentations_change_training_and_replay(topics, tmp_path):
    sets = {"train.epochs": 3, "augment": [{"name": "word-delete", "rate": 0.3}, {"name": "typo"}]}
    first = run_recipe(_recipe(topics, **sets), out_dir=tmp_path / "a")
    again = run_recipe(_recipe(topics, **sets), out_dir=tmp_path / "b")
    plain = run_recipe(_recipe(topics, **{"train.epochs": 3}), out_dir=tmp_path / "c")

    def losses(result):
        return [row["train_loss"] for row in result.history.rows]

    assert losses(first) == losses(again)
    assert losses(first) != pytest.approx(losses(plain), rel=1e-3)
    examples = (first.folder / "examples.txt").read_text(encoding="utf-8")
    assert "word-delete" in examples and "typo" in examples
    assert "word-delete" not in (plain.folder / "examples.txt").read_text(encoding="utf-8")


def test_a_tensor_augmentation_on_texts_is_refused(topics, one_line_error, cli, tmp_path):
    code, _, err = _cli_run(cli, topics, tmp_path, "augment=[{name: flip}]")
    one_line_error(code, err, "augment[0]", "'flip' works on tensors", "text")
    assert not any(tmp_path.iterdir())


@pytest.fixture(scope="module")
def word_vectors(topics, tmp_path_factory):
    from trainlab.preprocess.text.word2vec import Word2VecConfig
    from trainlab.workflows.word2vec import run_word2vec

    corpus = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    lines = topics.read_text(encoding="utf-8").splitlines()[1:]
    corpus.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", "utf-8")
    out = tmp_path_factory.mktemp("w2v") / "vectors"
    return run_word2vec(str(corpus), out, Word2VecConfig(vector_size=8, min_count=1)).folder


def _embedding(folder):
    from trainlab.io.model_file import load_model

    models, meta = load_model(folder / "model.safetensors")
    (weight,) = [
        m.weight for m in models[0].stage("embedding").modules() if hasattr(m, "padding_idx")
    ]
    return weight.detach().numpy(), meta


@pytest.mark.parametrize("strategy", ["freeze-first-n", "fine-tune-all"])
def test_word_vectors_initialize_the_embedding_frozen_or_fine_tuned(
    topics, word_vectors, tmp_path, strategy
):
    from trainlab.preprocess.text.word2vec import read_vectors

    sets = {
        "preprocess.text.representation": "sequence",
        "model.embedding_dim": 8,
        "transfer.checkpoint": str(word_vectors),
        "transfer.strategy": strategy,
        "train.epochs": 3,
    }
    result = run_recipe(_recipe(topics, **sets), out_dir=tmp_path)
    weight, meta = _embedding(result.folder)
    vectors = read_vectors(word_vectors / "vectors.txt")
    tokens = prepare_data(_recipe(topics, **sets)).text.vocabulary.tokens
    rows = [i for i, t in enumerate(tokens) if t in vectors.key_to_index]
    assert len(rows) == len(tokens) - 2  # every word of the corpus has a vector
    wanted = np.stack([vectors[tokens[i]] for i in rows])
    close = np.allclose(weight[rows], wanted, atol=1e-6)
    assert close == (strategy == "freeze-first-n")
    info = meta["transfer"]
    assert info["copied"] == ["embedding"] and info["coverage"] == 1.0
    assert info["frozen"] == (["embedding"] if strategy == "freeze-first-n" else [])


def test_word_vectors_for_a_bag_of_words_model_are_refused(
    topics, word_vectors, one_line_error, cli, tmp_path
):
    code, _, err = _cli_run(
        cli, topics, tmp_path, f"transfer.checkpoint={word_vectors}/vectors.txt"
    )
    one_line_error(
        code, err, "word vectors initialize a word embedding", "representation: sequence"
    )
    assert not any(tmp_path.iterdir())


def test_pretrain_word2vec_learns_the_training_texts_and_fills_the_embedding(topics, tmp_path):
    sets = {
        "preprocess.text.representation": "sequence",
        "model.embedding_dim": 8,
        "split.train_size": 20,
        "pretrain.method": "word2vec",
        "pretrain.min_count": 1,
        "transfer.strategy": "freeze-first-n",
        "train.epochs": 2,
    }
    result = run_recipe(_recipe(topics, **sets), out_dir=tmp_path)
    weight, meta = _embedding(result.folder)
    info = meta["transfer"]
    assert info["checkpoint"] == "word2vec on the training texts" and info["copied"] == [
        "embedding"
    ]
    assert info["frozen"] == ["embedding"] and info["coverage"] == 1.0
    data = prepare_data(_recipe(topics, **sets))
    assert len(data.texts["train"]) == 20 and len(data.texts["pool"]) > 20
    # the same vectors as word2vec on the training part's tokens (the labelled 20 and the pool)
    from trainlab.preprocess.text.word2vec import Word2VecConfig, train_word2vec

    lines = [*data.texts["train"], *data.texts["pool"]]
    vectors = train_word2vec(
        [data.text.tokens(t) for t in lines], Word2VecConfig(vector_size=8, min_count=1)
    )
    tokens = data.text.vocabulary.tokens
    np.testing.assert_allclose(weight[2:], np.stack([vectors[t] for t in tokens[2:]]), atol=1e-6)


def test_pretrain_and_a_checkpoint_together_are_refused(topics, word_vectors):
    from trainlab.workflows.transfer_setup import Transfer

    r = _recipe(topics, **{"pretrain.method": "word2vec", "transfer.checkpoint": str(word_vectors)})
    with pytest.raises(ConfigError, match="set only one of the two"):
        Transfer.from_recipe(r)


@pytest.mark.parametrize("name", ["word-tfidf", "word-embedding"])
def test_neighbour_replacement_learns_from_the_training_texts_only(topics, name, monkeypatch):
    from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
    from trainlab.workflows.assemble import augment_callback

    seen = []
    cls = TEXT_AUGMENTATIONS.get(name)
    fit = cls.fit

    def spy(self, texts):
        seen.append(list(texts))
        return fit(self, texts)

    monkeypatch.setattr(cls, "fit", spy)
    recipe = _recipe(topics, augment=[{"name": name, "rate": 0.3, "min_count": 1}])
    data = prepare_data(recipe)
    cb = augment_callback(recipe, data, seed=0)
    assert seen == [list(data.texts["train"])]  # never a validation or test text
    assert cb.augmentations[0].fitted
    out = cb.augmented(list(range(10)))
    assert sum(a != b for a, b in zip(out, data.texts["train"][:10], strict=True)) >= 5


def test_fitted_augmentations_are_kept_per_augment_list_on_shared_data(topics):
    from trainlab.workflows.text_setup import text_augmentations

    one = _recipe(topics, augment=[{"name": "word-delete", "rate": 0.5}])
    other = _recipe(topics, augment=[{"name": "typo"}])
    data = prepare_data(one)  # a study's data cache hands one prepared data to many variants
    first = text_augmentations(one, data)
    assert text_augmentations(one, data) is first
    assert [type(a).__name__ for a in text_augmentations(other, data)] == ["Keyboard"]


@pytest.mark.parametrize(
    ("sets", "said"),
    [
        ({"preprocess.text.language": "es", "augment": [{"name": "synonym"}]}, "English only"),
        (
            {"augment": [{"name": "word-tfidf", "min_count": 1000}]},
            r"augment\[0\] \(word-tfidf\)",
        ),
    ],
)
def test_an_augmentation_that_cannot_fit_the_data_stops_before_a_folder(
    topics, tmp_path, sets, said
):
    with pytest.raises((ConfigError, DataError), match=said):
        run_recipe(_recipe(topics, **sets), out_dir=tmp_path)
    assert not any(tmp_path.iterdir())
