"""Activation functions by name, for recipes (``model.activation``).

Example:
    >>> from trainlab.models.activations import make_activation
    >>> make_activation("relu")
    ReLU()
"""

from __future__ import annotations

from torch import nn

from trainlab.core.registry import Registry

#: activations: name → nn.Module class
ACTIVATIONS: Registry = Registry(
    "activation",
    {
        "relu": nn.ReLU,
        "leaky-relu": nn.LeakyReLU,
        "elu": nn.ELU,
        "gelu": nn.GELU,
        "silu": nn.SiLU,
        "tanh": nn.Tanh,
        "sigmoid": nn.Sigmoid,
    },
)


def make_activation(name: str) -> nn.Module:
    """A fresh activation module registered as ``name``."""
    return ACTIVATIONS.get(name)()
