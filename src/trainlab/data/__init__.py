"""Data sets, containers and partitioning."""

from trainlab.data._bundle import ArrayData, DataBundle, Modality

__all__ = ["ArrayData", "DataBundle", "Modality"]
