import pytest

from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry


def test_register_get_alias_and_names():
    reg = Registry("thing")
    reg.register("alpha-beta", aliases=("ab",))(int)
    assert reg.get("alpha_beta") is int
    assert reg.get("AB") is int
    assert reg.names() == ["alpha-beta"]
    assert "ab" in reg and "zeta" not in reg


def test_unknown_lists_known():
    reg = Registry("thing")
    reg.register("one")(int)
    with pytest.raises(ConfigError, match="unknown thing 'two'; expected one of: one"):
        reg.get("two")


def test_double_registration_refused():
    reg = Registry("thing")
    reg.register("one")(int)
    with pytest.raises(ValueError):
        reg.register("one")(float)
