"""Weight initialization schemes, by name.

For a layer with n_e inputs (fan_in) and n_s outputs (fan_out) — for a
convolution, channels × receptive field, computed like PyTorch's
``torch.nn.init._calculate_fan_in_and_fan_out`` — the schemes draw:

==================  ==============================================  ===============
name                distribution                                    Var(θ)
==================  ==============================================  ===============
``default``         PyTorch's own init, left unchanged              1 / (3 n_e) (*)
``normal``          N(0, std²), std from the recipe's ``init.std``  std²
``small-normal``    N(0, 0.01) (the lecture; std 0.1)               0.01
``unit-normal``     N(0, 1)                                         1
``glorot-uniform``  U[−√(6 / (n_e + n_s)), +√(6 / (n_e + n_s))]     2 / (n_e + n_s)
``glorot-normal``   N(0, 2 / (n_e + n_s))                           2 / (n_e + n_s)
``he-normal``       N(0, 2 / n_e)                                   2 / n_e
``he-uniform``      U[−√(6 / n_e), +√(6 / n_e)]                     2 / n_e
==================  ==============================================  ===============

(*) ``nn.Linear`` and ``nn.ConvNd`` reset their weights with
``kaiming_uniform_(a=√5)``, i.e. U[−1/√n_e, 1/√n_e].

(A uniform U[−a, a] has variance a² / 3.) Aliases: ``xavier-uniform``,
``xavier-normal``, ``kaiming-normal``, ``kaiming-uniform``.

The lecture's notes: N(0, 0.01) works in small networks, but in deep ones the
activations tend to 0; N(0, 1) saturates the neurons and the gradients go to 0.
Glorot & Bengio keep the variance of activations and gradients constant
across layers for symmetric activations; He et al. double it for ReLU, which
zeroes half of its inputs.

References:
    X. Glorot and Y. Bengio. Understanding the difficulty of training deep
    feedforward neural networks. AISTATS 2010.

    K. He, X. Zhang, S. Ren and J. Sun. Delving deep into rectifiers:
    surpassing human-level performance on ImageNet classification. ICCV 2015.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.models.init import apply_init, init_variance
    >>> gen = torch.Generator().manual_seed(0)
    >>> net = apply_init(nn.Linear(400, 300), "he-normal", generator=gen)
    >>> round(net.weight.var().item() / init_variance("he-normal", 400, 300), 1)
    1.0
    >>> net.bias.abs().max().item()
    0.0
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry

#: the layers :func:`apply_init` initializes
INIT_LAYERS: tuple[type[nn.Module], ...] = (
    nn.Linear,
    nn.Conv1d,
    nn.Conv2d,
    nn.Conv3d,
    nn.ConvTranspose1d,
    nn.ConvTranspose2d,
    nn.ConvTranspose3d,
)

InitFn = Callable[..., None]


def fan_in_and_fan_out(weight: torch.Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight, as ``torch.nn.init`` computes them.

    For a weight (out, in, *kernel): fan_in = in × ∏kernel and
    fan_out = out × ∏kernel (for a transposed convolution, whose weight is
    (in, out / groups, *kernel), PyTorch's convention is kept as is).

    Example:
        >>> import torch
        >>> from trainlab.models.init import fan_in_and_fan_out
        >>> fan_in_and_fan_out(torch.empty(16, 3, 5, 5))
        (75, 400)
    """
    if weight.dim() < 2:
        raise ValueError(
            "fan in and fan out need a weight with at least 2 dimensions, "
            f"got {tuple(weight.shape)}"
        )
    receptive = math.prod(weight.shape[2:])
    return weight.shape[1] * receptive, weight.shape[0] * receptive


def default_init(
    weight: torch.Tensor, *, std: float = 0.1, generator: torch.Generator | None = None
) -> None:
    """Leave PyTorch's own initialization (a no-op).

    Example:
        >>> import torch
        >>> from trainlab.models.init import default_init
        >>> w = torch.ones(2, 2)
        >>> default_init(w, std=0.1)
        >>> w.sum().item()
        4.0
    """


def normal_init(
    weight: torch.Tensor, *, std: float = 0.1, generator: torch.Generator | None = None
) -> None:
    """Fill with N(0, std²), ``std`` from the recipe's ``init.std``.

    Example:
        >>> import torch
        >>> from trainlab.models.init import normal_init
        >>> w = torch.empty(500, 500)
        >>> normal_init(w, std=0.5, generator=torch.Generator().manual_seed(0))
        >>> round(w.std().item(), 2)
        0.5
    """
    if not (math.isfinite(std) and std > 0):
        raise ConfigError(f"init.std: expected a positive number, got {std}")
    with torch.no_grad():
        weight.normal_(0.0, std, generator=generator)


def small_normal_init(
    weight: torch.Tensor, *, std: float = 0.1, generator: torch.Generator | None = None
) -> None:
    """Fill with the lecture's N(0, 0.01): variance 0.01, std 0.1 (``std`` is ignored).

    Works in small networks; in deep ones the activations tend to 0.

    Example:
        >>> import torch
        >>> from trainlab.models.init import small_normal_init
        >>> w = torch.empty(500, 500)
        >>> small_normal_init(w, std=0.1, generator=torch.Generator().manual_seed(0))
        >>> round(w.var().item(), 3)
        0.01
    """
    with torch.no_grad():
        weight.normal_(0.0, 0.1, generator=generator)


def unit_normal_init(
    weight: torch.Tensor, *, std: float = 0.1, generator: torch.Generator | None = None
) -> None:
    """Fill with the lecture's N(0, 1) (``std`` is ignored).

    Saturates the neurons, and the gradients go to 0.

    Example:
        >>> import torch
        >>> from trainlab.models.init import unit_normal_init
        >>> w = torch.empty(500, 500)
        >>> unit_normal_init(w, std=0.1, generator=torch.Generator().manual_seed(0))
        >>> round(w.var().item(), 1)
        1.0
    """
    with torch.no_grad():
        weight.normal_(0.0, 1.0, generator=generator)


def glorot_uniform_init(
    weight: torch.Tensor, *, std: float = 0.1, generator: torch.Generator | None = None
) -> None:
    """Fill with U[−√(6/(n_e+n_s)), +√(6/(n_e+n_s))] (Glorot & Bengio, 2010).

    Example:
        >>> import torch
        >>> from trainlab.models.init import glorot_uniform_init
        >>> w = torch.empty(300, 300)
        >>> glorot_uniform_init(w, std=0.1)
        >>> bool(w.abs().max() <= 0.1)
        True
    """
    fan_in, fan_out = fan_in_and_fan_out(weight)
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        weight.uniform_(-bound, bound, generator=generator)


def glorot_normal_init(
    weight: torch.Tensor, *, std: float = 0.1, generator: torch.Generator | None = None
) -> None:
    """Fill with N(0, 2/(n_e+n_s)) (Glorot & Bengio, 2010).

    Example:
        >>> import torch
        >>> from trainlab.models.init import glorot_normal_init
        >>> w = torch.empty(500, 300)
        >>> glorot_normal_init(w, std=0.1, generator=torch.Generator().manual_seed(0))
        >>> round(w.var().item() * (500 + 300) / 2, 1)
        1.0
    """
    fan_in, fan_out = fan_in_and_fan_out(weight)
    with torch.no_grad():
        weight.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)), generator=generator)


def he_normal_init(
    weight: torch.Tensor, *, std: float = 0.1, generator: torch.Generator | None = None
) -> None:
    """Fill with N(0, 2/n_e) (He et al., 2015; ``kaiming_normal_`` for ReLU).

    Example:
        >>> import torch
        >>> from trainlab.models.init import he_normal_init
        >>> w = torch.empty(300, 200)
        >>> he_normal_init(w, std=0.1, generator=torch.Generator().manual_seed(0))
        >>> round(w.var().item() * 200 / 2, 1)
        1.0
    """
    fan_in, _ = fan_in_and_fan_out(weight)
    with torch.no_grad():
        weight.normal_(0.0, math.sqrt(2.0 / fan_in), generator=generator)


def he_uniform_init(
    weight: torch.Tensor, *, std: float = 0.1, generator: torch.Generator | None = None
) -> None:
    """Fill with U[−√(6/n_e), +√(6/n_e)] (He et al., 2015; ``kaiming_uniform_`` for ReLU).

    Example:
        >>> import torch
        >>> from trainlab.models.init import he_uniform_init
        >>> w = torch.empty(100, 600)
        >>> he_uniform_init(w, std=0.1)
        >>> bool(w.abs().max() <= 0.1)
        True
    """
    fan_in, _ = fan_in_and_fan_out(weight)
    bound = math.sqrt(6.0 / fan_in)
    with torch.no_grad():
        weight.uniform_(-bound, bound, generator=generator)


#: weight initialization schemes: name → function(weight, *, std, generator) filling in place
INITS: Registry = Registry(
    "init scheme",
    {
        "default": default_init,
        "normal": normal_init,
        "small-normal": small_normal_init,
        "unit-normal": unit_normal_init,
        "glorot-uniform": glorot_uniform_init,
        "glorot-normal": glorot_normal_init,
        "he-normal": he_normal_init,
        "he-uniform": he_uniform_init,
    },
    aliases={
        "pytorch": "default",
        "xavier-uniform": "glorot-uniform",
        "xavier-normal": "glorot-normal",
        "kaiming-normal": "he-normal",
        "kaiming-uniform": "he-uniform",
    },
)
#: name → the variance of the weights a scheme draws, as a function of (fan_in, fan_out, std)
_VARIANCE: dict[str, Callable[[int, int, float], float]] = {
    "default": lambda fi, fo, std: 1.0 / (3.0 * fi),
    "normal": lambda fi, fo, std: std**2,
    "small-normal": lambda fi, fo, std: 0.01,
    "unit-normal": lambda fi, fo, std: 1.0,
    "glorot-uniform": lambda fi, fo, std: 2.0 / (fi + fo),
    "glorot-normal": lambda fi, fo, std: 2.0 / (fi + fo),
    "he-normal": lambda fi, fo, std: 2.0 / fi,
    "he-uniform": lambda fi, fo, std: 2.0 / fi,
}


def init_variance(scheme: str, fan_in: int, fan_out: int, std: float = 0.1) -> float:
    """The theoretical variance of the weights ``scheme`` draws.

    Args:
        scheme: a registered scheme name or alias.
        fan_in: n_e, inputs of the layer (channels × receptive field).
        fan_out: n_s, outputs of the layer (channels × receptive field).
        std: the recipe's ``init.std`` (used by ``normal`` only).

    Returns:
        Var(θ); for ``default``, that of PyTorch's Linear/Conv reset, 1 / (3 n_e).

    Example:
        >>> from trainlab.models.init import init_variance
        >>> init_variance("xavier-uniform", 100, 300), init_variance("he-normal", 100, 300)
        (0.005, 0.02)
    """
    return float(_VARIANCE[INITS.canonical(scheme)](fan_in, fan_out, std))


def apply_init(
    model: nn.Module,
    scheme: str,
    std: float = 0.1,
    generator: torch.Generator | None = None,
) -> nn.Module:
    """Initialize every Linear and (transposed) convolution of ``model`` in place.

    Weights are drawn by ``scheme`` and biases set to 0; normalization layers
    (γ = 1, β = 0) and all other parameters are left alone. ``"default"``
    changes nothing.

    Args:
        model: the network.
        scheme: a name of ``INITS`` (see the module table) or an alias.
        std: standard deviation for ``scheme="normal"``.
        generator: random generator on the weights' device; the global torch
            RNG when None.

    Returns:
        ``model`` itself.

    Raises:
        ConfigError: unknown ``scheme`` (the message lists the known ones) or a
            non-positive ``std`` for ``normal``.

    Example:
        >>> import torch
        >>> from torch import nn
        >>> from trainlab.models.init import apply_init
        >>> net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8))
        >>> _ = apply_init(net, "glorot-uniform", generator=torch.Generator().manual_seed(0))
        >>> net[0].bias.abs().sum().item(), net[1].weight.mean().item()
        (0.0, 1.0)
    """
    name = INITS.canonical(scheme)
    fn = INITS.get(name)
    if name == "default":
        return model
    for module in model.modules():
        if not isinstance(module, INIT_LAYERS):
            continue
        weight = module.weight
        if nn.parameter.is_lazy(weight):
            raise ValueError(
                f"apply_init: {type(module).__name__} is not materialized yet; "
                "run one forward pass before initializing"
            )
        fn(weight, std=std, generator=generator)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.zero_()
    return model
