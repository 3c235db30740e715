"""Data sets, containers and partitioning."""

from trainlab.data._bundle import ArrayData, DataBundle, Modality, Target, TargetKind

__all__ = ["ArrayData", "DataBundle", "Modality", "Target", "TargetKind"]
