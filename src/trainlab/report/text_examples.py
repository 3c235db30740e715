"""Examples of a text run: test texts the model got right and wrong, and augmented texts.

A text classifier's accuracy says how often it is right, not what it gets wrong;
a few test texts per class, the first it predicted right and the first it
predicted wrong, with the probability it gave its prediction, show both (the
confusion matrix says between which classes). A text augmentation's settings do
not say how far it changes a text; one training text before and after each
augmentation does (Wei & Zou 2019, "EDA: Easy Data Augmentation Techniques for
Boosting Performance on Text Classification Tasks", show such pairs). The run
workflow picks them (:mod:`trainlab.workflows.text_examples`); this module holds
them, typed, their words in English and Spanish, and their plain-text file
(``examples.txt``); ``templates/run.html`` shows them, escaped. Texts are shown
on one line, cut to :data:`LIMIT` characters.

Example:
    >>> from trainlab.report.text_examples import AugmentedText, TextExample, TextExamples
    >>> from trainlab.report.text_examples import examples_text
    >>> ex = TextExamples(
    ...     predictions=(TextExample("the team won", "sport", "sport", 0.9, True),),
    ...     augmentations=(AugmentedText("word-swap", "the team won", "team the won"),),
    ...     classes=1,
    ... )
    >>> print(examples_text(ex, "en"))
    Test examples: for each class, the first text predicted right and the first predicted wrong
    <BLANKLINE>
    [sport]
      right  sport  0.90  the team won
    <BLANKLINE>
    Text augmentations: one training text before and after each
    <BLANKLINE>
    [word-swap]
      before  the team won
      after   team the won
    <BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from trainlab.engine.diagnose.messages import LANGS, Lang

#: the most characters of a text that the report and ``examples.txt`` show
LIMIT = 200

#: the name of the examples file in a run folder
EXAMPLES_FILE = "examples.txt"


@dataclass(frozen=True)
class TextExample:
    """One test text and the model's prediction of it.

    Attributes:
        text: the text as it was in the data (the report shortens it).
        label: its true class.
        predicted: the class the model predicted.
        probability: the probability the model gave ``predicted``, in [0, 1].
        correct: whether ``predicted`` is ``label``.
    """

    text: str
    label: str
    predicted: str
    probability: float
    correct: bool


@dataclass(frozen=True)
class AugmentedText:
    """One training text before and after one augmentation (``name``, as in the recipe)."""

    name: str
    before: str
    after: str


@dataclass(frozen=True)
class TextExamples:
    """What the report shows of a text run.

    Attributes:
        predictions: per class shown, the first test text predicted right and the
            first predicted wrong (either may be missing), the classes in order.
        augmentations: one training text before and after each text augmentation.
        classes: how many classes the test split has (``predictions`` may show fewer).
    """

    predictions: tuple[TextExample, ...] = ()
    augmentations: tuple[AugmentedText, ...] = ()
    classes: int = 0

    @property
    def shown_classes(self) -> int:
        """How many classes ``predictions`` shows."""
        return len(dict.fromkeys(e.label for e in self.predictions))

    def __bool__(self) -> bool:
        return bool(self.predictions or self.augmentations)


#: the examples' words in English
EXAMPLE_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "h_examples": "Examples",
        "predictions_title": (
            "Test examples: for each class, the first text predicted right and the first "
            "predicted wrong"
        ),
        "predictions_intro": (
            "For each class of the test split, the largest first, the first text the model "
            "predicted right and the first it predicted wrong, with the probability it gave "
            "its prediction."
        ),
        "some_classes": "The {shown} largest of {total} classes.",
        "col_label": "true class",
        "col_outcome": "outcome",
        "col_predicted": "predicted class",
        "col_probability": "probability",
        "col_text": "text",
        "right": "right",
        "wrong": "wrong",
        "augmentations_title": "Text augmentations: one training text before and after each",
        "augmentations_intro": (
            "One training text before and after each text augmentation of the recipe, "
            "each drawn alone with the recipe's seed."
        ),
        "col_augmentation": "augmentation",
        "before": "before",
        "after": "after",
    }
)

#: the examples' words in Spanish
EXAMPLE_TEXT_ES: Mapping[str, str] = MappingProxyType(
    {
        "h_examples": "Ejemplos",
        "predictions_title": (
            "Ejemplos de prueba: por clase, el primer texto predicho bien y el primero predicho mal"
        ),
        "predictions_intro": (
            "Por cada clase del conjunto de prueba, la más grande primero, el primer texto que "
            "el modelo predijo bien y el primero que predijo mal, con la probabilidad que dio "
            "a su predicción."
        ),
        "some_classes": "Las {shown} clases más grandes de {total}.",
        "col_label": "clase verdadera",
        "col_outcome": "resultado",
        "col_predicted": "clase predicha",
        "col_probability": "probabilidad",
        "col_text": "texto",
        "right": "acierto",
        "wrong": "error",
        "augmentations_title": (
            "Aumento de datos de texto: un texto de entrenamiento antes y después de cada "
            "transformación"
        ),
        "augmentations_intro": (
            "Un texto de entrenamiento antes y después de cada aumento de texto de la receta, "
            "cada uno por separado, con la semilla de la receta."
        ),
        "col_augmentation": "aumento",
        "before": "antes",
        "after": "después",
    }
)

_TABLES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": EXAMPLE_TEXT, "es": EXAMPLE_TEXT_ES}
)


def example_words(lang: Lang) -> Mapping[str, str]:
    """The examples' words in ``lang``; ``KeyError`` for a language without them.

    Example:
        >>> example_words("es")["h_examples"]
        'Ejemplos'
    """
    if lang not in _TABLES:
        raise KeyError(f"no example words in {lang!r}: expected one of {', '.join(LANGS)}")
    return _TABLES[lang]


def shorten(text: str, limit: int = LIMIT) -> str:
    """``text`` on one line (runs of white space as one space), cut to ``limit`` characters
    with an ellipsis when longer.

    Example:
        >>> shorten("a\\n  b c")
        'a b c'
        >>> shorten("one two three", 8)
        'one two…'
    """
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    return flat[: max(0, limit - 1)].rstrip() + "…"


def probability(p: float) -> str:
    """A probability with two decimals: ``0.97``."""
    return f"{float(p):.2f}"


def examples_context(examples: TextExamples | None, lang: Lang) -> dict[str, Any] | None:
    """The fields of the run page's examples section, or None when there is nothing to show.

    Example:
        >>> ex = TextExamples((TextExample("a <b>", "x", "y", 0.6, False),), classes=3)
        >>> c = examples_context(ex, "en")
        >>> c["rows"][0]["outcome"], c["rows"][0]["text"], c["note"]
        ('wrong', 'a <b>', 'The 1 largest of 3 classes.')
    """
    if not examples:
        return None
    w = example_words(lang)
    shown = examples.shown_classes
    rows = [
        {
            "label": e.label,
            "outcome": w["right"] if e.correct else w["wrong"],
            "css": "right" if e.correct else "wrong",
            "predicted": e.predicted,
            "probability": probability(e.probability),
            "text": shorten(e.text),
        }
        for e in examples.predictions
    ]
    augmented = [
        {"name": a.name, "before": shorten(a.before), "after": shorten(a.after)}
        for a in examples.augmentations
    ]
    return {
        "w": w,
        "rows": rows,
        "note": (
            w["some_classes"].format(shown=shown, total=examples.classes)
            if rows and 0 < shown < examples.classes
            else ""
        ),
        "augmented": augmented,
    }


def examples_text(examples: TextExamples, lang: Lang = "en") -> str:
    """The examples as plain text, the content of ``examples.txt`` (texts shortened)."""
    w = example_words(lang)
    lines: list[str] = []
    if examples.predictions:
        lines += [w["predictions_title"], ""]
        width = max(len(w["right"]), len(w["wrong"]))
        names = max(len(e.predicted) for e in examples.predictions)
        label = None
        for e in examples.predictions:
            if e.label != label:
                if label is not None:
                    lines.append("")
                lines.append(f"[{e.label}]")
                label = e.label
            outcome = w["right"] if e.correct else w["wrong"]
            lines.append(
                f"  {outcome:<{width}}  {e.predicted:<{names}}  "
                f"{probability(e.probability)}  {shorten(e.text)}"
            )
        lines.append("")
    if examples.augmentations:
        lines += [w["augmentations_title"], ""]
        width = max(len(w["before"]), len(w["after"]))
        for a in examples.augmentations:
            lines.append(f"[{a.name}]")
            lines.append(f"  {w['before']:<{width}}  {shorten(a.before)}")
            lines.append(f"  {w['after']:<{width}}  {shorten(a.after)}")
            lines.append("")
    return "\n".join(lines)
