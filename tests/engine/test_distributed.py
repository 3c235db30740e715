"""DDP in the trainer: two gloo processes train the weights one process trains.

The oracle is a single-process :class:`~trainlab.engine.loop.Trainer` on the
same data, seed and global batch: without dropout, the two ranks' scaled,
averaged gradients are the global batch's, so the weights and every history
value agree to float rounding, also with an uneven last batch (21 examples in
batches of 8 over 2 ranks: shares of 4/4, 4/4 and 3/2 after the merge).
"""

from __future__ import annotations

import os

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

from netkit import free_port
from trainlab.engine.distributed import Distributed, from_env, peer_lost
from trainlab.engine.loop import Trainer


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    return torch.randn(21, 5, generator=g), torch.randint(0, 3, (21,), generator=g)


def _trainer(distributed: Distributed | None) -> Trainer:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    return Trainer(model, opt, epochs=3, batch_size=8, progress=False, distributed=distributed)


def _rank(rank: int, world: int, port: int, out: str) -> None:
    env = {"WORLD_SIZE": str(world), "RANK": str(rank), "LOCAL_RANK": str(rank)}
    os.environ.update(env, MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    group = from_env()
    x, y = _data()
    trainer = _trainer(group)
    trainer.fit((x, y), (x, y))
    gathered = group.gather_rows(torch.arange(7.0)[group.rows(7)], 7)
    mean = group.weighted_mean({"v": float(rank)}, weight=1 + rank)  # (0·1 + 1·2) / 3
    if group.is_main:
        torch.save(
            {
                "state": trainer.model.state_dict(),
                "rows": trainer.history.rows,
                "gathered": gathered,
                "mean": mean,
            },
            out,
        )
    dist.destroy_process_group()


@pytest.fixture(scope="module")
def two_ranks(tmp_path_factory) -> dict:
    out = str(tmp_path_factory.mktemp("ddp") / "rank0.pt")
    mp.start_processes(_rank, args=(2, free_port(), out), nprocs=2, start_method="spawn")
    return torch.load(out)


def test_two_ranks_train_the_weights_of_one_process(two_ranks) -> None:
    x, y = _data()
    alone = _trainer(None)
    alone.fit((x, y), (x, y))
    for name, value in alone.model.state_dict().items():
        torch.testing.assert_close(two_ranks["state"][name], value, rtol=1e-5, atol=1e-6)
    for mine, theirs in zip(two_ranks["rows"], alone.history.rows, strict=True):
        for key in ("train_loss", "train_acc", "val_loss", "val_acc"):
            assert mine[key] == pytest.approx(theirs[key], rel=1e-5), key


def test_collectives_gather_rows_in_rank_order_and_weigh_means(two_ranks) -> None:
    assert two_ranks["gathered"].tolist() == list(range(7))
    assert two_ranks["mean"]["v"] == pytest.approx(2 / 3)


def test_a_lone_process_is_not_a_group() -> None:
    assert from_env({}) is None
    assert from_env({"WORLD_SIZE": "1", "RANK": "0"}) is None


def test_shares_cover_a_batch_once_and_weights_make_the_global_mean() -> None:
    index = torch.arange(11)
    ranks = [Distributed(rank=r, world=3) for r in range(3)]
    taken = torch.cat([d.shard(index) for d in ranks]).sort().values
    assert taken.tolist() == index.tolist()
    # Σ_r weight_r · mean_r / world = the mean over all 11
    losses = torch.rand(11)
    avg = sum(d.loss_weight(d.share(11), 11) * losses[d.shard(index)].mean() for d in ranks) / 3
    assert float(avg) == pytest.approx(float(losses.mean()), rel=1e-6)
    assert [d.rows(11) for d in ranks] == [slice(0, 3), slice(3, 7), slice(7, 11)]


def test_only_a_lost_peer_is_a_peer_lost() -> None:
    lost = peer_lost(RuntimeError("[gloo/transport/tcp/pair.cc:537] Read error: reset by peer"))
    assert lost is not None and "another process of the run stopped" in str(lost)
    assert peer_lost(RuntimeError("mat1 and mat2 shapes cannot be multiplied")) is None
