"""1-D signal data sets: MNIST-1D."""
