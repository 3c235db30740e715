"""Image augmentation: affine matrices, crops, colour, erasing."""
