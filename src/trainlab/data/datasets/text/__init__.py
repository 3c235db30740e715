"""Text data sets: fortune topics (English, Spanish), language identification, polarity, and
loaders for a user's CSV / JSON Lines file or folder of text files.

A text bundle's ``x`` is a numpy object array of Python ``str`` (N,); ``y``
int64 labels indexing ``classes``. Files are read as UTF-8 only (a byte-order
mark is accepted); anything else is a one-line ``DataError`` naming the file
and the byte offset of the first bad byte.

Example:
    >>> from trainlab.data.datasets.text._texts import text_array
    >>> text_array(["uno", "dos"]).tolist()
    ['uno', 'dos']
"""
