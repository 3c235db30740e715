"""Data larger than memory: batches streamed from image, audio or video files by worker processes.

- :func:`~trainlab.data.datasets.image.image_folder.index_image_folder`: the
  files and labels of an image folder, nothing decoded (split it like any data);
- :class:`ImageTransform`: one image to model input (uniform size and
  channels, pixel scaling, normalization), as the in-memory path does it;
- :class:`ImageFileDataset`: a torch ``Dataset`` decoding a file when read;
- :class:`StreamSource`: mapping batches ``{"x": float32 (B, C, H, W),
  "y": int64 (B,)}`` from a DataLoader with worker processes, ``len`` =
  batches per epoch, ``set_epoch(seed)`` (the order depends on the seed only);
- :func:`fit_stream_preprocessor`: normalization statistics from one pass
  over (at most ``max_images`` of) the training files;
- :func:`estimate_decoded_bytes`: the decoded size of a folder, to choose
  streaming above a memory budget;
- the same for audio clips (:mod:`~trainlab.data.stream.audio`) and video
  clips (:mod:`~trainlab.data.stream.video`: :class:`VideoFileDataset`, a
  clip decoded, sampled and made model input by the fitted video pipeline
  per read; :func:`fit_stream_video`; :func:`estimate_video_bytes`).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from trainlab.data.datasets.image.image_folder import index_image_folder
    >>> from trainlab.data.stream import (ImageFileDataset, ImageTransform, StreamSource,
    ...                                   fit_stream_preprocessor)
    >>> root = Path(tempfile.mkdtemp())
    >>> for k, cls in enumerate(["cat", "dog"]):
    ...     (root / cls).mkdir()
    ...     for i in range(3):
    ...         Image.new("RGB", (12, 9), (40 * i, 80 * k, 0)).save(root / cls / f"{i}.png")
    >>> ix = index_image_folder(path=root)
    >>> pre = fit_stream_preprocessor(ix.paths, size=(8, 8), workers=0).preprocessor
    >>> ds = ImageFileDataset.from_index(ix, ImageTransform(size=(8, 8), preprocessor=pre))
    >>> src = StreamSource(ds, batch_size=4, workers=0)
    >>> src.set_epoch(0)
    >>> [(tuple(b["x"].shape), b["y"].dtype) for b in src]
    [((4, 3, 8, 8), torch.int64), ((2, 3, 8, 8), torch.int64)]
"""

from trainlab.data.stream.dataset import ImageFileDataset, ReadFailure
from trainlab.data.stream.fit import StreamFit, fit_stream_preprocessor
from trainlab.data.stream.footprint import estimate_decoded_bytes
from trainlab.data.stream.order import EpochOrder
from trainlab.data.stream.source import StreamSource
from trainlab.data.stream.transform import ImageTransform, standard_preprocessor
from trainlab.data.stream.video import (
    VideoFileDataset,
    VideoTransform,
    estimate_video_bytes,
    fit_stream_video,
)

__all__ = [
    "EpochOrder",
    "ImageFileDataset",
    "ImageTransform",
    "ReadFailure",
    "StreamFit",
    "StreamSource",
    "VideoFileDataset",
    "VideoTransform",
    "estimate_decoded_bytes",
    "estimate_video_bytes",
    "fit_stream_preprocessor",
    "fit_stream_video",
    "standard_preprocessor",
]
