"""Core: errors, registries, atomic writes, YAML. Imports nothing else of trainlab."""
