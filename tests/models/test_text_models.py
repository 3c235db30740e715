"""Text models on token id sequences: padding changes nothing, they rebuild, they learn."""

import pytest
import torch

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import ConfigError
from trainlab.models import build_model, model_from_config
from trainlab.models.embedding import masked_mean

NAMES = ["embedding-bag", "text-cnn", "gru"]


def _model(name: str, length: int = 12):
    torch.manual_seed(0)
    cfg = ModelConfig(name=name, widths=[8], embedding_dim=6, vocab_size=40)
    return build_model(cfg, (length,), 3).eval()


@pytest.mark.parametrize("name", NAMES)
def test_trailing_padding_changes_no_output(name):
    ids = torch.tensor([[5, 9, 13, 2, 0, 0], [7, 7, 8, 30, 31, 4]])
    longer = torch.cat([ids, torch.zeros(2, 6, dtype=torch.long)], dim=1)
    with torch.no_grad():
        a, b = _model(name, 6)(ids), _model(name, 12)(longer)
    assert torch.allclose(a, b, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_the_embedding_is_a_stage_and_the_model_rebuilds(name):
    m = _model(name)
    assert m.stage_names[0] == "embedding"
    assert m.stage("embedding").embedding.weight.shape == (40, 6)
    again = model_from_config(m.config)
    again.load_state_dict(m.state_dict())
    x = torch.randint(0, 40, (4, 12))
    with torch.no_grad():
        assert torch.equal(again.eval()(x), m(x))


@pytest.mark.parametrize("name", NAMES)
def test_it_learns_which_words_a_class_uses(name):
    torch.manual_seed(1)
    n = 64
    y = torch.arange(n) % 2
    ids = torch.randint(2, 20, (n, 10)) + 20 * y.view(-1, 1)  # class 1 uses ids 22…39
    cfg = ModelConfig(name=name, widths=[8], embedding_dim=8, vocab_size=40)
    m = build_model(cfg, (10,), 2)
    opt = torch.optim.Adam(m.parameters(), lr=0.05)
    for _ in range(30):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(m(ids), y).backward()
        opt.step()
    assert (m.eval()(ids).argmax(1) == y).float().mean() > 0.95


def test_images_and_a_missing_vocabulary_are_refused():
    with pytest.raises(ConfigError, match=r"token id sequences \(L,\)"):
        build_model(ModelConfig(name="gru", vocab_size=10), (1, 8, 8), 2)
    with pytest.raises(ConfigError, match="vocabulary size"):
        build_model(ModelConfig(name="text-cnn"), (8,), 2)


def test_masked_mean_leaves_padding_out():
    v = torch.tensor([[[2.0], [4.0], [0.0]], [[1.0], [0.0], [0.0]]])
    assert masked_mean(v).flatten().tolist() == [3.0, 1.0]
