"""The data cache a worker owns: shared by trials on the same data, keyed by what decides it."""

import shutil

import pytest

from trainlab.workflows.study.data_cache import DataCache, data_key
from trainlab.workflows.study.executors import Job, run_inline
from trainlab.workflows.transfer_setup import Transfer
from transferkit import tiny


def test_variants_of_one_seed_share_the_data_and_another_seed_does_not(tiny_wine):
    cache = DataCache(size=2)
    a = cache.get(tiny_wine, None)
    assert cache.get(tiny_wine.override({"regularization.l2": 0.1}), None) is a
    other = cache.get(tiny_wine.override({"seed": 1}), None)
    assert other is not a and len(cache) == 2
    cache.get(tiny_wine.override({"seed": 2}), None)  # the least recently used goes
    assert len(cache) == 2 and cache.get(tiny_wine.override({"seed": 1}), None) is other


def test_a_cache_holds_at_least_one_entry():
    with pytest.raises(ValueError, match="at least 1"):
        DataCache(size=0)


def test_the_key_follows_the_checkpoint_s_content(base_a, base_minmax_20, tmp_path):
    path = tmp_path / "base.safetensors"
    shutil.copy(base_a, path)
    r = tiny(**{"transfer.checkpoint": str(path)})
    before = data_key(r, Transfer.from_recipe(r))
    shutil.copy(base_minmax_20, path)  # retrained in place, with other preprocessing
    assert data_key(r, Transfer.from_recipe(r)) != before
    own = r.override({"transfer.preprocessing": "own"})
    assert data_key(own, Transfer.from_recipe(own)) != data_key(r, Transfer.from_recipe(r))


def test_inline_trials_give_the_same_results_with_the_shared_cache(tiny_wine):
    from trainlab.workflows.study.settings import TrialSettings
    from trainlab.workflows.study.trial import run_trial

    recipes = [tiny_wine.override({"model.dropout": p}).to_dict() for p in (0.0, 0.3)]
    one = TrialSettings(threads=1, torch="", device="cpu")
    jobs = [Job("v", 0, r, probes=False, settings=one) for r in recipes]
    shared = []
    run_inline(jobs, lambda job, result: shared.append(result["metrics"]))
    alone = [run_trial(job.recipe, probes=False, threads=1)["metrics"] for job in jobs]
    drop = {"seconds"}
    assert [{k: v for k, v in m.items() if k not in drop} for m in shared] == [
        {k: v for k, v in m.items() if k not in drop} for m in alone
    ]
