"""Image preprocessing: uniform size and aspect ratio, channels, pixel scaling."""
