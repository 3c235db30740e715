"""Every strategy of the lecture in one table, searchable in Spanish and English.

The source is the lecture *Estrategias de entrenamiento* (Berenice y Ricardo
Montalvo Lezama, Introducción al Aprendizaje Profundo, UNAM, 2021). One
:class:`Row` per strategy gives the lecture's section and slide, its Spanish
term as the lecture writes it (split out where one bullet names several, as
"adición de ruido a entradas, salidas y/o parámetros"), the English term, more
search words in both languages, the recipe keys and a ``--set`` that switches it
on, the code (dotted paths), the paper, the built-in study that shows it, and
whether it is built or still planned (and what is missing). Rows marked
``lecture=False`` are built beyond the lecture; their Spanish name is ours.

:func:`find` folds case and accents (Unicode NFKD, combining marks dropped) and
keeps letters and digits only, so "Deserción", "desercion" and "dropout" find
the same row. Results rank the row whose own term equals the word first, then
an equal search word, then a match at the start of a word ("espectrograma"
finds "espectrogramas"); ties keep the table's order. Only when nothing matches
so does a match inside words count, spaces ignored ("auto-supervisado" finds
"autosupervisado"). Pure data: nothing here imports torch or numpy, so listing
is instant. ``python -m trainlab.config.catalogue docs/lecture.md`` writes the
Markdown page.

Example:
    >>> from trainlab.config.catalogue import find
    >>> find("desercion")[0].english
    'dropout'
    >>> find("Deserción") == find("DESERCION")
    True
    >>> [(row.spanish, row.status) for row in find("early stopping")]
    [('paro temprano', 'built')]
"""

from trainlab.config.catalogue._row import SECTIONS, STATUSES, Paper, Row, Section, Status
from trainlab.config.catalogue.markdown import render_markdown
from trainlab.config.catalogue.rows import ROWS
from trainlab.config.catalogue.search import find, fold, section

__all__ = [
    "ROWS",
    "SECTIONS",
    "STATUSES",
    "Paper",
    "Row",
    "Section",
    "Status",
    "find",
    "fold",
    "render_markdown",
    "section",
]
