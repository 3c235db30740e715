"""Files: checkpoints and model files (safetensors plus JSON metadata, never pickle)."""
