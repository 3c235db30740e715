"""Activation functions by name, for recipes (``model.activation``).

Example:
    >>> from trainlab.models.activations import make_activation
    >>> make_activation("relu")
    ReLU()
"""

from __future__ import annotations

from torch import nn

from trainlab.registry import ACTIVATIONS

for _name, _cls in {
    "relu": nn.ReLU,
    "leaky-relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
}.items():
    ACTIVATIONS.register(_name)(_cls)


def make_activation(name: str) -> nn.Module:
    """A fresh activation module registered as ``name``."""
    return ACTIVATIONS.get(name)()
