"""Prepared data shared by the trials one worker runs, when they read the same data.

A study's trials differ mostly in their strategies, not in their data: the
variants of one seed load, split and preprocess the same examples. Loading
can cost seconds (the 5,000 MNIST digits of ``digits`` take about 4 s on a
CPU, against about a second for a small trial), so whoever runs trials one
after another (an executor's worker) owns a :class:`DataCache` and passes it
to every trial it runs. A cached entry is keyed by everything that decides
the prepared tensors: the recipe's ``data``, ``split``, ``preprocess`` and
``seed`` sections and, with a transfer, the checkpoint's file and content hash
and ``transfer.preprocessing``. The least recently used entry goes first.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.study.data_cache import DataCache
    >>> cache = DataCache(size=2)
    >>> r = Recipe.load("wine-mlp")
    >>> a = cache.get(r, None)
    >>> b = cache.get(r.override({"model.dropout": 0.5}), None)  # same data
    >>> a.data is b.data, len(cache)
    (True, 1)
"""

from __future__ import annotations

import json
import warnings
from collections import OrderedDict
from dataclasses import dataclass

from trainlab.config.recipe import Recipe
from trainlab.workflows.prepare import PreparedData
from trainlab.workflows.run import prepare_run_data
from trainlab.workflows.transfer_setup import Transfer


@dataclass(frozen=True)
class TrialData:
    """A trial's prepared data and the warnings its preparation gave (kept, not printed)."""

    data: PreparedData
    warnings: list[str]


def prepare_trial_data(recipe: Recipe, transfer: Transfer | None) -> TrialData:
    """Prepare the recipe's data (adapted to ``transfer``), recording its warnings."""
    with warnings.catch_warnings(record=True) as said:  # kept with the trial, not printed
        warnings.simplefilter("always")
        data = prepare_run_data(recipe, transfer)
    return TrialData(data, sorted({str(w.message) for w in said}))


def data_key(recipe: Recipe, transfer: Transfer | None) -> str:
    """What decides a recipe's prepared tensors, as one string."""
    d = recipe.to_dict()
    source = None
    if transfer is not None:  # the checkpoint this seed reads, as the transfer resolved it
        src = transfer.source
        source = [str(src.path), src.sha256, transfer.config.preprocessing]
    return json.dumps([d["data"], d["split"], d["preprocess"], d["seed"], source], sort_keys=True)


class DataCache:
    """The prepared data of the last ``size`` distinct data settings a worker used.

    Args:
        size: how many prepared data sets to keep (each holds every split's tensors).
    """

    def __init__(self, size: int = 6) -> None:
        if size < 1:
            raise ValueError(f"DataCache size must be at least 1, got {size}")
        self.size = size
        self._items: OrderedDict[str, TrialData] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, recipe: Recipe, transfer: Transfer | None) -> TrialData:
        """The recipe's prepared data, from the cache or prepared now (and kept)."""
        key = data_key(recipe, transfer)
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        item = prepare_trial_data(recipe, transfer)
        self._items[key] = item
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return item
