"""Text augmentation throughput: trainlab against nlpaug; word2vec against bare gensim.

Each trainlab text augmentation (``TEXT_AUGMENTATIONS``) and nlpaug's
equivalent run on the same real sentences (gensim's Lee corpus, split into
sentences), both called on the whole list (nlpaug's ``augment(list)`` is its
batch API), alternating in every repeat after a warm-up call; the median is
reported as sentences per second, with the ratio ours / peer (goal: ≥ 5×).

The amount of change is matched, not just the arguments: ours runs at its
default rate, and nlpaug's fraction (``aug_word_p`` for its character
augmenters, which edit one character in each chosen word, ``aug_p`` for its
word augmenters; ``aug_min=1``, no ``aug_max`` cap) is chosen by bisection so
that it changes as many characters (or words) per sentence as ours does on a
sample, counted the same way on both outputs (difflib opcodes; characters with
white space removed, since nlpaug re-spaces punctuation; lowercase ``\\w+``
words). The "changes" column shows both counts. Peers:

- char-insert / -substitute / -delete / -swap: ``RandomCharAug`` (lowercase
  letters as candidates, ``min_char=2``); keyboard: ``KeyboardAug`` (letters only);
- word-swap, word-delete: ``RandomWordAug``; word-insert: ``WordEmbsAug(action="insert")``,
  which inserts random words of the vectors' vocabulary (ours gets the same words);
- misspell: ``SpellingAug`` with a dictionary written from our list (lowercase,
  Title and UPPER forms, since nlpaug looks words up as written; no reverse mapping);
- word-embedding: ``WordEmbsAug(model_type="word2vec")`` on binary vectors that
  gensim trains on the same sentences; word-tfidf: ``TfIdfAug`` on an nlpaug ``TfIdf``
  model trained on them and saved to a temporary folder; both ``top_k`` = our ``k``;
- synonym: nlpaug's ``SynonymAug`` needs NLTK's WordNet corpus and POS tagger, which
  are downloads: "no peer" unless both are found; back-translate: nlpaug's needs
  MarianMT models: ours alone, Apertium cold (``cache=False``) and warm (the disk
  cache in a temporary ``$XDG_CACHE_HOME``, filled by a first call).

Last, word2vec: trainlab's ``train_word2vec`` against ``gensim.models.Word2Vec``
with the same corpus and parameters (``bench/word2vec.py``'s comparison; goal:
at most 10% overhead).

    python bench/text.py [--sentences 3000] [--repeats 5] [--quick]
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import os
import random
import re
import shutil
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from timing import alternating_medians
from trainlab.augment.text.misspellings import builtin_list, read_misspellings
from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.preprocess.text.tokenize import tokenize

#: one sentence ends where ., ! or ? is followed by space and a capital, digit or quote
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")
WORDS = re.compile(r"\w+")
#: ours' rates (the classes' defaults) and the neighbours considered (k / top_k)
CHAR_RATE, WORD_RATE, K = 0.05, 0.1, 10


def lee_sentences(limit: int) -> list[str]:
    """The first ``limit`` sentences (of 3 words or more) of gensim's Lee corpus."""
    from gensim.test.utils import datapath

    docs = Path(datapath("lee_background.cor")).read_text(encoding="utf-8").splitlines()
    out = [s for d in docs for s in SENTENCE_END.split(d.strip()) if len(s.split()) >= 3]
    return out[:limit]


# -- how much an augmentation changed -------------------------------------------------------
def _changed(a: list[str] | str, b: list[str] | str) -> int:
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")


def char_changes(before: str, after: str) -> int:
    """Characters changed, white space ignored (a swap counts 2)."""
    return _changed("".join(before.split()), "".join(after.split()))


def word_changes(before: str, after: str) -> int:
    """Lowercase words changed (a swap counts 2)."""
    return _changed(WORDS.findall(before.lower()), WORDS.findall(after.lower()))


def mean_changes(metric: Callable[[str, str], int], before: list[str], after: list[str]) -> float:
    """The mean of ``metric`` over the pairs."""
    return float(np.mean([metric(a, b) for a, b in zip(before, after, strict=True)]))


# -- the contenders -------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the table: ours, nlpaug's maker (fraction → augmenter), the unit changed."""

    name: str
    ours: Any  # a TextAugmentation, or a str saying why there is none
    peer: Callable[[float], Any] | str  # fraction → nlpaug augmenter, or why there is none
    unit: str  # "char" or "word"
    knob: str = "aug_p"


def registered(name: str, **kwargs: Any) -> Any:
    """``TEXT_AUGMENTATIONS[name](**kwargs)``, or "not built" when the name is not there."""
    if name not in TEXT_AUGMENTATIONS:
        return "not built"
    try:
        return TEXT_AUGMENTATIONS.get(name)(**kwargs)
    except (ValueError, OSError) as e:  # e.g. no WordNet here: the row says so
        return f"error: {e}"


def fitted(name: str, texts: list[str], **kwargs: Any) -> tuple[Any, float]:
    """``name`` built with ``kwargs``, fitted on ``texts`` unless it is already; fit seconds."""
    aug = registered(name, language="en", rate=WORD_RATE, k=K, **kwargs)
    start = time.perf_counter()
    if not isinstance(aug, str) and not aug.fitted:
        aug.fit(texts)
    return aug, time.perf_counter() - start


def spelling_dictionary(path: Path) -> Path:
    """Our English misspelling list written in nlpaug's format (``word wrong1 wrong2``)."""
    lines = []
    for word, wrong in read_misspellings(builtin_list("en")).items():
        wrong = [w for w in wrong if " " not in w]
        if " " in word or not wrong:
            continue
        for case in (str.lower, str.title, str.upper):
            lines.append(" ".join(case(w) for w in (word, *wrong)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def synonym_peer() -> Callable[[float], Any] | str:
    """nlpaug's SynonymAug if NLTK and its WordNet and tagger data are here; else why not."""
    why = (
        "no peer: nlpaug's SynonymAug needs NLTK's WordNet corpus and its POS tagger "
        "(averaged_perceptron_tagger_eng), both downloads; NLTK refuses Debian's "
        "/usr/share/wordnet"
    )
    if importlib.util.find_spec("nltk") is None:
        return why + " (and NLTK is not installed)"
    import nltk

    for resource in ("corpora/wordnet", "taggers/averaged_perceptron_tagger_eng"):
        try:
            nltk.data.find(resource)
        except LookupError:
            return why
    import nlpaug.augmenter.word as naw

    return lambda p: naw.SynonymAug(aug_src="wordnet", aug_min=1, aug_max=None, aug_p=p)


def build_rows(sentences: list[str], folder: Path) -> tuple[list[Row], list[str]]:
    """Every row, with the word vectors and TF-IDF model both sides use; notes on the setup."""
    import nlpaug.augmenter.char as nac
    import nlpaug.augmenter.word as naw
    from gensim.models import Word2Vec
    from nlpaug.model.word_stats import TfIdf

    notes = []
    start = time.perf_counter()
    kv = Word2Vec(
        [t for s in sentences if (t := tokenize(s))],
        vector_size=100,
        window=5,
        min_count=2,
        epochs=5,
        seed=0,
        workers=1,
    ).wv
    vectors = folder / "vectors.bin"
    kv.save_word2vec_format(str(vectors), binary=True)
    tfidf = TfIdf()
    tfidf.train([WORDS.findall(s) for s in sentences])
    tfidf.save(str(folder))
    notes.append(
        f"vectors: {len(kv):,} words (gensim, 100 dimensions, min_count 2); nlpaug TF-IDF: "
        f"{len(tfidf.w2idf):,} words; {time.perf_counter() - start:.1f} s"
    )
    letters = list(string.ascii_lowercase)

    def char_peer(action: str) -> Callable[[float], Any]:
        return lambda q: nac.RandomCharAug(
            action=action, aug_char_min=1, aug_char_max=1, aug_word_p=q, aug_word_min=1,
            aug_word_max=None, min_char=2, candidates=letters,
        )  # fmt: skip

    def keyboard_peer(q: float) -> Any:
        return nac.KeyboardAug(
            aug_char_min=1, aug_char_max=1, aug_word_p=q, aug_word_min=1, aug_word_max=None,
            min_char=2, include_special_char=False, include_numeric=False, include_upper_case=False,
        )  # fmt: skip

    def word_peer(action: str) -> Callable[[float], Any]:
        return lambda p: naw.RandomWordAug(action=action, aug_min=1, aug_max=None, aug_p=p)

    def embs_peer(action: str) -> Callable[[float], Any]:
        return lambda p: naw.WordEmbsAug(
            model_type="word2vec", model_path=str(vectors), action=action, top_k=K,
            aug_min=1, aug_max=None, aug_p=p,
        )  # fmt: skip

    spelling = spelling_dictionary(folder / "spelling_en.txt")
    rows = [
        *(
            Row(f"char-{a}", registered(f"char-{a}", rate=CHAR_RATE), char_peer(a), "char",
                "aug_word_p")
            for a in ("insert", "substitute", "delete", "swap")
        ),
        Row("keyboard", registered("keyboard", rate=CHAR_RATE), keyboard_peer, "char",
            "aug_word_p"),
        Row("word-swap", registered("word-swap", rate=WORD_RATE), word_peer("swap"), "word"),
        Row("word-delete", registered("word-delete", rate=WORD_RATE), word_peer("delete"), "word"),
        Row(
            "word-insert",
            registered("word-insert", rate=WORD_RATE, vocabulary=list(kv.index_to_key)),
            embs_peer("insert"),
            "word",
        ),
        Row("synonym", registered("synonym", rate=WORD_RATE), synonym_peer(), "word"),
        Row(
            "misspell",
            registered("misspell", rate=WORD_RATE),
            lambda p: naw.SpellingAug(
                dict_path=str(spelling), include_reverse=False, aug_min=1, aug_max=None, aug_p=p
            ),
            "word",
        ),
    ]  # fmt: skip

    def tfidf_peer(p: float) -> Any:  # reads the model saved above (nlpaug keeps one per process)
        return naw.TfIdfAug(
            model_path=str(folder), action="substitute", top_k=K, aug_min=1, aug_max=None, aug_p=p
        )

    for name, peer, options in (
        ("word-embedding", embs_peer("substitute"), {"vectors": kv}),  # nlpaug's vectors too
        ("word-tfidf", tfidf_peer, {}),
    ):
        ours, fit_s = fitted(name, sentences, **options)
        if not isinstance(ours, str):
            notes.append(f"{name}: ours fitted in {fit_s:.2f} s")
        rows.append(Row(name, ours, peer, "word"))
    return rows, notes


# -- matching and timing --------------------------------------------------------------------
def run_peer(make: Callable[[float], Any], p: float, texts: list[str]) -> list[str]:
    """nlpaug at fraction ``p`` on ``texts``, seeded."""
    random.seed(0)
    np.random.seed(0)
    return make(p).augment(texts)


def calibrate(
    make: Callable[[float], Any], metric: Callable, texts: list[str], target: float, steps: int
) -> tuple[float, float]:
    """The fraction in [0, 1] whose changes per sentence come closest to ``target``; its mean."""
    lo, hi, best = 0.0, 1.0, (np.inf, 0.0, 0.0)
    for _ in range(steps):
        p = (lo + hi) / 2
        got = mean_changes(metric, texts, run_peer(make, p, texts))
        best = min(best, (abs(got - target), p, got))
        lo, hi = (p, hi) if got < target else (lo, p)
    return best[1], best[2]


def median_rates(steps: dict[str, Callable[[], object]], n: int, repeats: int) -> dict[str, float]:
    """Sentences per second of each step: median of ``repeats`` alternating calls, warm."""
    return {name: n / s for name, s in alternating_medians(steps, repeats).items()}


def measure(row: Row, texts: list[str], sample: list[str], repeats: int, steps: int) -> str:
    """The table line of ``row`` (and, where there is no peer, a line saying why)."""
    metric = char_changes if row.unit == "char" else word_changes
    ours_ok, peer_ok = not isinstance(row.ours, str), not isinstance(row.peer, str)
    contenders: dict[str, Callable[[], object]] = {}
    changes, setting = ["—", "—"], ""
    if ours_ok:
        target = mean_changes(metric, sample, row.ours(sample, np.random.default_rng(0)))
        changes[0] = f"{target:.2f}"
        rng = np.random.default_rng(0)
        contenders["ours"] = lambda: row.ours(texts, rng)
    if peer_ok:
        if ours_ok:
            p, got = calibrate(row.peer, metric, sample, target, steps)
        else:  # nothing to match: ours' rate as nlpaug's fraction
            p = WORD_RATE
            got = mean_changes(metric, sample, run_peer(row.peer, p, sample))
        changes[1], setting = f"{got:.2f}", f"{row.knob}={p:.3f}"
        if p < 1e-3:  # the fraction does not matter: aug_min=1 sets the count
            setting = f"{row.knob}≈0 (aug_min=1)"
        peer = row.peer(p)
        contenders["peer"] = lambda: peer.augment(texts)
    rates = median_rates(contenders, len(texts), repeats)
    ours_s = f"{rates['ours']:,.0f}" if ours_ok else row.ours
    peer_s = f"{rates['peer']:,.0f}" if peer_ok else "no peer"
    ratio = f"{rates['ours'] / rates['peer']:.1f}x" if ours_ok and peer_ok else "—"
    line = (
        f"{row.name:<15} {ours_s:>10} {peer_s:>10} {ratio:>7}  "
        f"{changes[0]:>5} {changes[1]:>5} {row.unit}s  {setting}"
    )
    return line if peer_ok else f"{line}\n{'':<16}{row.peer}"


def back_translation(texts: list[str], repeats: int) -> list[str]:
    """Ours alone (no offline peer): Apertium cold, then warm from a temporary disk cache."""
    aug = TEXT_AUGMENTATIONS.get("back-translate")
    if shutil.which("apertium") is None:
        return ["back-translate: Apertium is not installed (apt-get install apertium-eng-spa)"]
    cold = aug(language="en", cache=False)
    lines = []
    old = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        try:
            warm = aug(language="en", cache=True)
            start = time.perf_counter()
            warm(texts, np.random.default_rng(0))  # fills the cache
            fill = len(texts) / (time.perf_counter() - start)
            times: dict[str, list[float]] = {"cold": [], "warm": []}
            for _ in range(repeats):
                for name, step in (("cold", cold), ("warm", warm)):
                    start = time.perf_counter()
                    step(texts, np.random.default_rng(0))
                    times[name].append(time.perf_counter() - start)
        finally:
            if old is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = old
    rates = {k: len(texts) / statistics.median(v) for k, v in times.items()}
    lines.append(
        f"back-translate (Apertium en→es→en, {len(texts)} sentences, no peer: nlpaug's "
        "BackTranslationAug needs MarianMT models)"
    )
    lines.append(f"  cold (cache=False)         {rates['cold']:>10,.0f} sentences/s")
    lines.append(f"  first call, filling cache  {fill:>10,.0f} sentences/s")
    lines.append(f"  warm (every text cached)   {rates['warm']:>10,.0f} sentences/s")
    return lines


def word2vec_rows(corpus: str, repeats: int) -> list[str]:
    """bench/word2vec.py's comparison on ``corpus``."""
    path = Path(__file__).with_name("word2vec.py")
    spec = importlib.util.spec_from_file_location("bench_word2vec", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    sentences = module.corpus_sentences(corpus)
    words = sum(len(s) for s in sentences)
    lines = [
        f"word2vec (corpus {corpus}: {len(sentences):,} lines, {words:,} words; 100 dimensions, "
        f"window 5, min_count 2, 5 epochs, negative 5, 1 thread; median of {repeats})"
    ]
    for arch, g, t in module.compare(sentences, repeats):
        overhead = 100 * (t / g - 1)
        lines.append(
            f"  {arch:<10} gensim {g:6.2f} s   trainlab {t:6.2f} s   overhead {overhead:+.1f}%"
        )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=3000, help="Lee sentences (at most 2,614)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sample", type=int, default=300, help="sentences that match the changes")
    ap.add_argument("--bt-sentences", type=int, default=300, help="back-translated sentences")
    ap.add_argument("--w2v-corpus", default="lee")
    ap.add_argument("--w2v-repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    args = ap.parse_args()
    if args.quick:
        args.sentences, args.repeats, args.sample = 200, 1, 50
        args.bt_sentences, args.w2v_repeats = 20, 1
    began = time.perf_counter()
    texts = lee_sentences(args.sentences)
    sample = [texts[i] for i in np.random.default_rng(0).permutation(len(texts))[: args.sample]]
    import nlpaug

    print(
        f"{len(texts):,} Lee sentences ({np.mean([len(t.split()) for t in texts]):.1f} words); "
        f"nlpaug {nlpaug.__version__}; median of {args.repeats} after a warm-up; changes matched "
        f"on {len(sample)} sentences"
    )
    with tempfile.TemporaryDirectory() as folder:
        rows, notes = build_rows(texts, Path(folder))
        for note in notes:
            print(note)
        print(
            f"{'augmentation':<15} {'ours /s':>10} {'nlpaug /s':>10} {'ratio':>7}  "
            "changes: ours, nlpaug; nlpaug's fraction"
        )
        for row in rows:
            print(measure(row, texts, sample, args.repeats, steps=12), flush=True)
    print("\n".join(back_translation(texts[: args.bt_sentences], max(1, args.repeats // 2))))
    print("\n".join(word2vec_rows(args.w2v_corpus, args.w2v_repeats)))
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
