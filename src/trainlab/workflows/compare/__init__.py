"""Study folders read as they are, and compared: ``trainlab compare A B``, ``trainlab show``.

Example:
    >>> from trainlab.workflows.compare import compare_studies, read_study
    >>> callable(compare_studies) and callable(read_study)
    True
"""

from trainlab.workflows.compare.definition import definition_from_dict, definition_of
from trainlab.workflows.compare.stored import StoredStudy, StoredTrial, read_study
from trainlab.workflows.compare.studies import compare_studies

__all__ = [
    "StoredStudy",
    "StoredTrial",
    "compare_studies",
    "definition_from_dict",
    "definition_of",
    "read_study",
]
