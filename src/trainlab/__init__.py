"""trainlab: training strategies for deep learning, side by side, with evidence."""

__version__ = "0.1.0"
