import pytest
import torch

from trainlab.core.errors import CheckpointError
from trainlab.engine.transfer.copy import COMPATIBLE, copy_stages
from trainlab.models import CNN, MLP
from trainlab.models.cnn3d import CNN3D
from trainlab.models.frame_cnn import FrameCNN


def _same(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def test_copies_exactly_the_first_n_stages_weights_and_buffers():
    torch.manual_seed(0)
    src, dst = CNN((1, 12, 12), 4, widths=[4, 8, 8]), CNN((1, 12, 12), 7, widths=[4, 8, 8])
    src.stages.stage1[1].running_mean.fill_(0.5)  # a buffer must travel too
    untouched = {k: v.clone() for k, v in dst.state_dict().items()}
    assert copy_stages(dst, src, 2) == ["stage1", "stage2"]
    assert _same(dst.stage("stage1"), src.stage("stage1"))
    assert _same(dst.stage("stage2"), src.stage("stage2"))
    for k, v in dst.state_dict().items():
        if k.startswith(("stages.stage3", "head")):
            assert torch.equal(v, untouched[k]), k


def test_head_is_copied_only_when_asked():
    src, dst = MLP((4,), 3, widths=[8]), MLP((4,), 3, widths=[8])
    copy_stages(dst, src, 1)
    assert not _same(dst.head, src.head)
    copy_stages(dst, src, 1, head=True)
    assert _same(dst, src)


def test_a_head_of_another_size_is_an_error():
    with pytest.raises(CheckpointError, match="the head does not fit"):
        copy_stages(MLP((4,), 5, widths=[8]), MLP((4,), 3, widths=[8]), 1, head=True)


def test_more_stages_than_the_checkpoint_has():
    with pytest.raises(CheckpointError, match=r"transfer\.stages is 3, but the checkpoint.s model"):
        copy_stages(MLP((4,), 3, widths=[8, 8, 8]), MLP((4,), 3, widths=[8, 8]), 3)


def test_another_architecture_names_both():
    with pytest.raises(CheckpointError, match=r"holds a mlp .* the recipe builds a cnn"):
        copy_stages(CNN((1, 8, 8), 3, widths=[4]), MLP((64,), 3, widths=[4]), 1)


def test_a_stage_of_another_shape_names_the_tensor_and_both_shapes():
    src, dst = CNN((1, 8, 8), 3, widths=[4, 8]), CNN((3, 8, 8), 3, widths=[4, 8])
    with pytest.raises(CheckpointError, match=r"stage 'stage1' does not fit: .*\[4, 1, 3, 3\]"):
        copy_stages(dst, src, 1)
    before = {k: v.clone() for k, v in dst.state_dict().items()}
    with pytest.raises(CheckpointError):
        copy_stages(dst, CNN((3, 8, 8), 3, widths=[4, 16]), 2)  # stage 2 misfits
    assert all(torch.equal(v, before[k]) for k, v in dst.state_dict().items()), "half-copied"


def test_an_image_cnn_initializes_a_frame_cnn_whose_frames_see_the_same_features():
    torch.manual_seed(0)
    cnn = CNN((3, 16, 16), 10, widths=[4, 8, 8]).eval()
    for m in cnn.modules():  # batch-norm statistics must travel too
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
    fc = FrameCNN((5, 3, 16, 16), 4, widths=[4, 8, 8]).eval()
    before = {k: v.clone() for k, v in fc.state_dict().items()}
    assert copy_stages(fc, cnn, 2) == ["stage1", "stage2"]
    x = torch.randn(2, 5, 3, 16, 16)
    mine = fc.stages[:2](x)
    theirs = torch.stack([cnn.stages[:2](x[:, t]) for t in range(5)], dim=1)
    assert mine.shape == (2, 5, 8, 4, 4)
    torch.testing.assert_close(mine, theirs)
    for k, v in fc.state_dict().items():
        if k.startswith(("stages.stage3", "head")):
            assert torch.equal(v, before[k]), k


def test_a_frame_cnn_gives_its_stages_and_head_back_to_an_image_cnn():
    fc, cnn = FrameCNN((5, 1, 8, 8), 3, widths=[4, 8]), CNN((1, 8, 8), 3, widths=[4, 8])
    copy_stages(cnn, fc, 2, head=True)
    assert _same(cnn, fc)


def test_only_the_listed_pairs_cross_names_and_their_tensors_must_still_fit():
    assert ("cnn", "frame-cnn") in COMPATIBLE and ("cnn", "cnn3d") not in COMPATIBLE
    with pytest.raises(CheckpointError, match=r"holds a cnn .* the recipe builds a cnn3d"):
        copy_stages(CNN3D((4, 1, 8, 8), 3, widths=[4]), CNN((1, 8, 8), 3, widths=[4]), 1)
    with pytest.raises(CheckpointError, match=r"stage 'stage1' does not fit: .*\[4, 1, 3, 3\]"):
        copy_stages(FrameCNN((4, 3, 8, 8), 3, widths=[4]), CNN((1, 8, 8), 3, widths=[4]), 1)


def test_counterparts_rebuild_an_image_cnn_for_clips_and_back():
    from trainlab.engine.transfer.copy import counterpart
    from trainlab.models import model_from_config

    cnn = CNN((1, 8, 8), 3, widths=[4, 8])
    video = model_from_config({**counterpart(cnn.config, (5, 1, 8, 8)), "num_classes": 3})
    assert isinstance(video, FrameCNN)
    copy_stages(video, cnn, 2, head=True)
    assert _same(video, cnn)
    back = counterpart(FrameCNN((5, 1, 8, 8), 3, widths=[4]).config, (1, 8, 8))
    assert back["name"] == "cnn" and "temporal_pool" not in back
    assert isinstance(model_from_config({**back, "num_classes": 3}), CNN)
    assert counterpart(MLP((4,), 3, widths=[8]).config, (4,))["name"] == "mlp"
