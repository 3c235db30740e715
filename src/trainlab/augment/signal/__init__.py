"""1-D signal augmentation: shifts and scaling in time."""
