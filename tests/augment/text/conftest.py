"""Shared fixtures of the text augmentation tests: a fake translation engine."""

from __future__ import annotations

import pytest


class FakeTranslator:
    """A deterministic engine that records its calls: marks each text with the target language."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str, str]] = []

    def translate(self, texts, source, target):
        self.calls.append((list(texts), source, target))
        if target == "es":
            return [f"{t} <es>" for t in texts]
        return [t.replace(" <es>", " ~") for t in texts]


@pytest.fixture
def fake_translator() -> FakeTranslator:
    return FakeTranslator()
