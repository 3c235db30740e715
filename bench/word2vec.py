"""word2vec: trainlab's training against bare gensim on the same corpus and parameters.

Both train gensim's Word2Vec (skip-gram and CBOW, 100 dimensions, window 5,
min_count 2, 5 epochs, negative sampling 5, one worker thread so that a seed
gives the same vectors) on the same tokenized corpus (the English fortunes,
or gensim's Lee corpus without them); trainlab's time includes its checks and
the conversion to KeyedVectors. The median of ``--repeats`` runs is reported,
with the overhead of trainlab over gensim (goal: at most 10%).
:func:`compare` is also the word2vec part of ``bench/text.py``.

    python bench/word2vec.py [--corpus fortunes] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from trainlab.preprocess.text.tokenize import tokenize
from trainlab.preprocess.text.word2vec import Word2VecConfig, train_word2vec
from trainlab.workflows.word2vec import corpus_lines


def corpus_sentences(corpus: str) -> list[list[str]]:
    """The tokenized, non-empty lines of a built-in corpus (or a text file)."""
    return [t for line in corpus_lines(corpus) if (t := tokenize(line))]


def compare(sentences: list[list[str]], repeats: int) -> list[tuple[str, float, float]]:
    """(architecture, gensim s, trainlab s): medians of ``repeats`` alternating runs."""
    from gensim.models import Word2Vec

    rows = []
    for arch, sg in (("skip-gram", 1), ("cbow", 0)):
        config = Word2VecConfig(architecture=arch)

        def bare(sg: int = sg) -> object:
            return Word2Vec(
                sentences,
                vector_size=100,
                window=5,
                min_count=2,
                epochs=5,
                negative=5,
                sg=sg,
                seed=0,
                workers=1,
            ).wv

        def ours(config: Word2VecConfig = config) -> object:
            return train_word2vec(sentences, config)

        times: dict[str, list[float]] = {"gensim": [], "trainlab": []}
        for _ in range(repeats):
            for name, step in (("gensim", bare), ("trainlab", ours)):
                start = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - start)
        rows.append((arch, *(statistics.median(times[k]) for k in ("gensim", "trainlab"))))
    return rows


def print_rows(rows: list[tuple[str, float, float]]) -> None:
    """One line per architecture: both times and trainlab's overhead."""
    for arch, g, t in rows:
        overhead = 100 * (t / g - 1)
        print(f"{arch:<10} gensim {g:6.2f} s   trainlab {t:6.2f} s   overhead {overhead:+.1f}%")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="fortunes")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    sentences = corpus_sentences(args.corpus)
    words = sum(len(s) for s in sentences)
    print(
        f"corpus={args.corpus}: {len(sentences):,} sentences, {words:,} words; "
        f"repeats={args.repeats} (median)"
    )
    print_rows(compare(sentences, args.repeats))


if __name__ == "__main__":
    main()
