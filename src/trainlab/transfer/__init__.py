"""Transfer of knowledge: start from a trained model, freeze or fine-tune its stages.

The lecture's transfer slide, by name:

- copy the first n stages of a checkpoint (:func:`copy_stages`, ``transfer.stages``);
- strategies (:data:`trainlab.registry.TRANSFERS`): ``head-only``,
  ``freeze-first-n``, ``fine-tune-all``, ``differential-lr``, ``gradual-unfreeze``;
- the normalization check (:func:`preprocessing_mismatches`, ``transfer.preprocessing``);
- Yosinski et al.'s (2014) transferability study (:func:`run_transfer_study`).

See ``docs/transfer.md``.
"""

from trainlab.transfer.callback import TransferCallback
from trainlab.transfer.copy import copy_stages
from trainlab.transfer.normalization import preprocessing_mismatches
from trainlab.transfer.param_groups import stage_param_groups
from trainlab.transfer.plans import TransferPlan, build_plan
from trainlab.transfer.setup import (
    TransferSetup,
    setup_transfer,
    transfer_data,
    transfer_model,
    transfer_source,
)
from trainlab.transfer.source import TransferSource, load_source

__all__ = [
    "TransferCallback",
    "TransferPlan",
    "TransferSetup",
    "TransferSource",
    "build_plan",
    "copy_stages",
    "load_source",
    "preprocessing_mismatches",
    "setup_transfer",
    "stage_param_groups",
    "transfer_data",
    "transfer_model",
    "transfer_source",
]
