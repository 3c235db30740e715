"""Text augmentation on lists of strings (see ``_base`` for the contract).

Letters (``characters``: insert, substitute, delete, swap), keyboard typos of
real layouts (``keyboard``), words (``words``: EDA's swap, delete, insert),
misspellings from a list (``misspellings``), WordNet synonyms (``wordnet``,
``synonyms``) and back-translation through a translation engine
(``translation``); ``registry`` names them all.
"""
