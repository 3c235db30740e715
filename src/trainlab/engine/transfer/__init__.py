"""Transfer of knowledge: start from a trained model, freeze or fine-tune its stages.

The lecture's transfer slide, by name:

- copy the first n stages of a checkpoint (:func:`copy_stages`, ``transfer.stages``);
- strategies (:data:`trainlab.engine.transfer.plans.TRANSFERS`): ``head-only``,
  ``freeze-first-n``, ``fine-tune-all``, ``differential-lr``, ``gradual-unfreeze``;
- the normalization check (:func:`preprocessing_mismatches`, ``transfer.preprocessing``);
- Yosinski et al.'s (2014) transferability study
  (:mod:`trainlab.workflows.transfer_study`).

See ``docs/transfer.md``.
"""

from trainlab.engine.transfer.callback import TransferCallback
from trainlab.engine.transfer.copy import copy_stages
from trainlab.engine.transfer.normalization import preprocessing_mismatches
from trainlab.engine.transfer.param_groups import stage_param_groups
from trainlab.engine.transfer.plans import TransferPlan, build_plan
from trainlab.engine.transfer.source import TransferSource, load_source

__all__ = [
    "TransferCallback",
    "TransferPlan",
    "TransferSource",
    "build_plan",
    "copy_stages",
    "load_source",
    "preprocessing_mismatches",
    "stage_param_groups",
]
