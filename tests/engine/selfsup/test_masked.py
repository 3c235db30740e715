import torch

from trainlab.engine.selfsup.masked import Decoder, mask_blocks, masked_mse


def test_the_hidden_steps_are_whole_blocks_covering_the_ratio_and_zeroed_in_every_channel():
    x = torch.randn(5, 3, 64) + 10
    hidden, mask = mask_blocks(x, 0.25, torch.Generator().manual_seed(0), block=8)
    assert mask.shape == (5, 64)
    assert (mask.sum(1) == 16).all()  # 2 of the 8 blocks of 8 steps
    blocks = mask.view(5, 8, 8)
    assert ((blocks.all(2)) | (~blocks.any(2))).all()  # whole blocks
    assert (hidden[mask.unsqueeze(1).expand_as(x)] == 0).all()
    assert torch.equal(hidden[~mask.unsqueeze(1).expand_as(x)], x[~mask.unsqueeze(1).expand_as(x)])
    _, mask2 = mask_blocks(x, 0.25, torch.Generator().manual_seed(0), block=8)
    assert torch.equal(mask, mask2)  # seeded


def test_the_loss_counts_the_hidden_steps_only():
    x = torch.zeros(1, 1, 4)
    mask = torch.tensor([[True, False, False, True]])
    rebuilt = torch.tensor([[[1.0, 5.0, 5.0, 3.0]]])
    assert float(masked_mse(rebuilt, x, mask)) == (1 + 9) / 2


def test_the_decoder_rebuilds_an_input_of_the_shape_it_is_given():
    assert Decoder(6, (2, 3, 4))(torch.zeros(5, 6)).shape == (5, 2, 3, 4)
