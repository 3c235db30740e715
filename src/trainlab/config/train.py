"""The recipe's ``train`` section: the budget (epochs, batches) and the hardware.

``device: auto`` picks CUDA, then MPS, then the CPU; ``amp`` is bfloat16 autocast
(on CUDA by default); ``compile`` runs the training step through
``torch.compile``. YAML reads ``off`` and ``on`` as booleans, so ``amp`` and
``compile`` take them back as the words.

Example:
    >>> from trainlab.config.train import TrainConfig
    >>> TrainConfig(amp=False, compile=True).amp, TrainConfig(compile=True).compile
    ('off', 'default')
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from trainlab.config.section import Section


class TrainConfig(Section):
    """Budget and hardware."""

    epochs: int = Field(default=10, ge=1)
    batch_size: int = Field(default=128, ge=1)
    #: evaluation batch size (memory only; results do not depend on it)
    eval_batch_size: int = Field(default=1024, ge=1)
    #: auto picks cuda, then mps, then cpu
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    #: mixed precision: auto uses bfloat16 autocast on CUDA only
    amp: Literal["auto", "off", "on"] = "auto"
    #: CPU threads (None: PyTorch's default)
    threads: int | None = Field(default=None, ge=1)
    #: gradient-norm clipping (0: off)
    clip_grad_norm: float = Field(default=0.0, ge=0.0)
    #: compile the training step with torch.compile in this mode (off: eager);
    #: reduce-overhead replays CUDA graphs, for small models whose GPU steps are launch-bound
    compile: Literal["off", "default", "reduce-overhead", "max-autotune"] = "off"
    progress: bool = True

    @field_validator("amp", "compile", mode="before")
    @classmethod
    def _yaml_switches(cls, value: Any, info: ValidationInfo) -> Any:
        """YAML reads ``off`` and ``on`` as booleans: take them back as the words."""
        if isinstance(value, bool):
            on = "on" if info.field_name == "amp" else "default"
            return on if value else "off"
        return value
