"""Image augmentation: affine matrices and their warp, crops, colour, erasing."""
