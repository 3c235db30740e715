"""A text run's examples in the run report and in ``examples.txt``: shortened, escaped,
in English and Spanish."""

from __future__ import annotations

import re
import string

import pytest

from htmlcheck import parse
from trainlab.engine.diagnose import diagnose
from trainlab.report import render_run_report
from trainlab.report.text_examples import (
    EXAMPLE_TEXT,
    EXAMPLE_TEXT_ES,
    LIMIT,
    AugmentedText,
    TextExample,
    TextExamples,
    example_words,
    examples_context,
    examples_text,
    shorten,
)

HISTORY = [{"epoch": 1, "train_loss": 0.5, "train_acc": 0.7}, {"epoch": 2, "train_loss": 0.4}]
LONG = "word " * 100  # 500 characters

EXAMPLES = TextExamples(
    predictions=(
        TextExample(
            "the <script>alert(1)</script> team & fans", "<b>sport</b>", "<b>sport</b>", 0.91, True
        ),
        TextExample(LONG, "<b>sport</b>", "food", 0.62, False),
        TextExample("fresh\n\tbread", "food", "food", 0.555, True),
    ),
    augmentations=(AugmentedText("word-swap", "a b <i>c</i>", "b a <i>c</i>"),),
    classes=3,
)


def _page(examples: TextExamples | None, lang: str = "en") -> str:
    return render_run_report(
        title="t",
        recipe={},
        metrics={"test_acc": 0.5},
        history=HISTORY,
        diagnosis=diagnose(HISTORY),
        figures={},
        lang=lang,  # type: ignore[arg-type]
        text_examples=examples,
    )


def _section(page: str) -> str:
    start = page.index('<section id="examples"')
    return page[start : page.index("</section>", start) + len("</section>")]


def _fields(pattern: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None}


def test_both_languages_have_the_same_words_and_placeholders():
    assert set(EXAMPLE_TEXT) == set(EXAMPLE_TEXT_ES)
    for key, en in EXAMPLE_TEXT.items():
        assert _fields(en) == _fields(EXAMPLE_TEXT_ES[key]), key
        assert EXAMPLE_TEXT_ES[key] != en or key == "h_examples"
    with pytest.raises(KeyError, match="'fr'"):
        example_words("fr")  # type: ignore[arg-type]


def test_shorten_puts_a_text_on_one_line_and_cuts_it_with_an_ellipsis():
    assert shorten(" a\n\n b\tc ") == "a b c"
    cut = shorten(LONG)
    assert len(cut) <= LIMIT and cut.endswith("…") and cut[:-1] == LONG[: len(cut) - 1]
    assert shorten("x" * LIMIT) == "x" * LIMIT
    assert shorten("x" * (LIMIT + 1)) == "x" * (LIMIT - 1) + "…"


def test_the_section_shows_each_example_escaped_and_shortened():
    page = _page(EXAMPLES)
    checked = parse(page)
    assert checked.errors == [] and checked.scripts == 0
    assert "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; team &amp; fans" in page
    text = checked.text
    assert "the <script>alert(1)</script> team & fans" in text
    assert shorten(LONG) in text and LONG.strip() not in text
    assert "fresh bread" in text
    section = _section(page)
    rows = re.findall(r'<tr class="(right|wrong)">(.*?)</tr>', section)
    assert [css for css, _ in rows] == ["right", "wrong", "right"]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r) for _, r in rows]
    assert [c[:4] for c in cells] == [
        ["&lt;b&gt;sport&lt;/b&gt;", "right", "&lt;b&gt;sport&lt;/b&gt;", "0.91"],
        ["&lt;b&gt;sport&lt;/b&gt;", "wrong", "food", "0.62"],
        ["food", "right", "food", "0.56"],
    ]
    assert "b a &lt;i&gt;c&lt;/i&gt;" in section and "<code>word-swap</code>" in section
    assert "The 2 largest of 3 classes." in text


def test_no_section_without_examples():
    for examples in (None, TextExamples()):
        assert 'id="examples"' not in _page(examples)
    only = _page(TextExamples(augmentations=EXAMPLES.augmentations))
    assert 'id="examples"' in only and 'class="examples"' not in only
    assert 'class="augmented"' in only


def test_a_spanish_page_and_file_have_spanish_words():
    text = parse(_section(_page(EXAMPLES, "es"))).text
    for word in ("Ejemplos", "clase verdadera", "acierto", "error", "antes", "después"):
        assert word in text
    for word in ("true class", "before", "after", "probability"):
        assert word not in text
    written = examples_text(EXAMPLES, "es")
    assert "acierto" in written and "antes" in written and "right" not in written


def test_the_file_has_one_block_per_class_and_per_augmentation():
    written = examples_text(EXAMPLES)
    blocks = [b.splitlines() for b in written.split("\n\n")]
    assert blocks[0] == [EXAMPLE_TEXT["predictions_title"]]
    assert blocks[1][0] == "[<b>sport</b>]" and len(blocks[1]) == 3
    assert blocks[1][1].split(None, 3) == [
        "right",
        "<b>sport</b>",
        "0.91",
        "the <script>alert(1)</script> team & fans",
    ]
    assert blocks[1][2].split(None, 3)[3] == shorten(LONG)
    assert blocks[2] == ["[food]", "  right  food          0.56  fresh bread"]
    assert blocks[3] == [EXAMPLE_TEXT["augmentations_title"]]
    assert blocks[4] == ["[word-swap]", "  before  a b <i>c</i>", "  after   b a <i>c</i>"]
    assert written.endswith("\n") and not written.endswith("\n\n")
    assert examples_context(None, "en") is None
