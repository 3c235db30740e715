"""Configuration: the recipe schema (validated without torch) and the built-in recipes."""
