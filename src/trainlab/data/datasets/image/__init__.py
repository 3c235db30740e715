"""Image data sets: MNIST digits, Fashion-MNIST, a folder of images."""
