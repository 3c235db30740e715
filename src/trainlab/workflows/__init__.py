"""Workflows: turn a recipe into engine objects, run it, and write run and study folders."""
