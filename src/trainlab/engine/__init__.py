"""The training engine: loop, callbacks, strategies, transfer mechanics, prediction, diagnosis.

Usable from Python without a recipe: every part takes plain, typed arguments."""
