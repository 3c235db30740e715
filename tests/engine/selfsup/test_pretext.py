import pytest
import torch

from trainlab.core.errors import ConfigError
from trainlab.engine.selfsup.pretext import build_pretext


@pytest.mark.parametrize(
    ("name", "modality", "shape", "fits"),
    [
        ("rotation", "image", (1, 28, 28), True),
        ("rotation", "audio", (1, 64, 32), True),  # a spectrogram front end
        ("rotation", "audio", (1, 16000), False),  # waveforms
        ("rotation", "tabular", (13,), False),
        ("simclr", "image", (3, 8, 8), True),
        ("simclr", "text", (20,), False),
        ("masked", "signal", (1, 40), True),
        ("masked", "image", (1, 28, 28), False),
    ],
)
def test_each_task_says_which_data_it_fits(name, modality, shape, fits):
    why = build_pretext(name).fits(modality, shape)
    assert (why is None) == fits
    if not fits:
        assert modality in why


def test_an_unknown_task_is_refused_with_the_known_ones():
    with pytest.raises(ConfigError, match="masked, rotation, simclr"):
        build_pretext("jigsaw")


def test_simclr_without_views_is_refused():
    p = build_pretext("simclr")
    with pytest.raises(ConfigError, match="views"):
        p.loss(lambda x: x, torch.nn.Identity(), torch.zeros(2, 3), torch.Generator())


def test_rotation_counts_its_right_answers():
    p = build_pretext("rotation")
    head = torch.nn.Linear(4, 4)
    out = p.loss(lambda x: x.flatten(1), head, torch.randn(3, 1, 2, 2), torch.Generator())
    assert out.answers == 12 and 0 <= out.correct <= 12 and out.loss.ndim == 0
