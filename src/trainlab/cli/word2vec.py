"""``trainlab word2vec``: train CBOW or skip-gram word vectors on a corpus and judge them.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.word2vec import word2vec_cmd
    >>> r = CliRunner().invoke(word2vec_cmd, ["--corpus", "no-such-corpus", "--out", "w"])
    >>> "not a built-in corpus" in str(r.exception)
    True
"""

from __future__ import annotations

import click


@click.command("word2vec")
@click.option(
    "--corpus",
    default="fortunes",
    show_default=True,
    help="fortunes, fortunes-es, lee, or a UTF-8 text file (a sentence a line).",
)
@click.option(
    "--architecture",
    type=click.Choice(["skip-gram", "cbow"]),
    default="skip-gram",
    show_default=True,
)
@click.option("--vector-size", default=100, show_default=True, type=int)
@click.option("--window", default=5, show_default=True, type=int)
@click.option("--min-count", default=2, show_default=True, type=int)
@click.option("--epochs", default=5, show_default=True, type=int)
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--words", default=None, help="Comma-separated words whose neighbours to list.")
@click.option(
    "--out",
    default="word2vec",
    show_default=True,
    type=click.Path(),
    help="The folder written: vectors.txt, neighbours.md, evaluation.json.",
)
def word2vec_cmd(corpus, architecture, vector_size, window, min_count, epochs, seed, words, out):
    """Train word vectors on a corpus; write them, their neighbours and their evaluation."""
    from trainlab.core.errors import ConfigError
    from trainlab.preprocess.text.word2vec import Word2VecConfig
    from trainlab.workflows.word2vec import run_word2vec

    try:
        config = Word2VecConfig(architecture, vector_size, window, min_count, epochs, seed=seed)
    except ValueError as exc:
        raise ConfigError(f"word2vec: {exc}") from None
    chosen = [w.strip() for w in words.split(",") if w.strip()] if words else None
    result = run_word2vec(corpus, out, config, chosen)
    ev = result.evaluation
    click.echo(f"trainlab: {result.vocabulary} words from {corpus}, written to {result.folder}")
    for key, value in ev.items():
        click.echo(
            f"  {key:<28} {value:.3f}" if isinstance(value, float) else f"  {key:<28} {value}"
        )


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (word2vec_cmd,)
