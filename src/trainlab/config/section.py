"""The base of every recipe section: unknown keys are errors, values are checked on assignment.

Example:
    >>> from trainlab.config.section import Section
    >>> class Budget(Section):
    ...     epochs: int = 10
    >>> try:
    ...     Budget(epoch=3)
    ... except Exception as exc:
    ...     print(type(exc).__name__)
    ValidationError
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """Base of every recipe section: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
