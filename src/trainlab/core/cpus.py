"""How many CPUs this process may use.

Example:
    >>> from trainlab.core.cpus import cpu_count
    >>> cpu_count() >= 1
    True
"""

from __future__ import annotations

import os


def cpu_count() -> int:
    """CPUs this process may use (its affinity on Linux, else the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
