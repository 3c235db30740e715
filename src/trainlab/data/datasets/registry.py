"""Every built-in data set, by name: one table (``trainlab datasets`` lists it).

A loader is a function of keyword-only options returning a
:class:`~trainlab.data.DataBundle`; the first line of its docstring is its
description.

Example:
    >>> from trainlab.data.datasets.registry import DATASETS
    >>> DATASETS.names()[:3]
    ['audio-csv', 'audio-folder', 'breast-cancer']
"""

from __future__ import annotations

from trainlab.core.registry import Registry
from trainlab.data.datasets.audio.audio_csv import load_audio_csv
from trainlab.data.datasets.audio.audio_folder import load_audio_folder
from trainlab.data.datasets.audio.spoken_digits import load_spoken_digits
from trainlab.data.datasets.image.digits import load_digits
from trainlab.data.datasets.image.fashion_mnist import load_fashion_mnist
from trainlab.data.datasets.image.image_folder import load_image_folder
from trainlab.data.datasets.signal.mnist1d import load_mnist1d
from trainlab.data.datasets.tabular.csv import load_csv
from trainlab.data.datasets.tabular.sklearn_regression import load_diabetes, load_linnerud
from trainlab.data.datasets.tabular.sklearn_tabular import load_breast_cancer, load_wine
from trainlab.data.datasets.text.fortunes import load_fortunes
from trainlab.data.datasets.text.language_id import load_language_id
from trainlab.data.datasets.text.polarity import load_polarity
from trainlab.data.datasets.text.text_csv import load_text_csv
from trainlab.data.datasets.text.text_folder import load_text_folder
from trainlab.data.datasets.video.folder import load_video_folder
from trainlab.data.datasets.video.moving_digits import load_moving_digits

DATASETS: Registry = Registry(
    "dataset",
    {
        # tabular
        "csv": load_csv,
        "wine": load_wine,
        "breast-cancer": load_breast_cancer,
        "diabetes": load_diabetes,
        "linnerud": load_linnerud,
        # images
        "digits": load_digits,
        "fashion-mnist": load_fashion_mnist,
        "image-folder": load_image_folder,
        # 1-D signals
        "mnist1d": load_mnist1d,
        # audio
        "spoken-digits": load_spoken_digits,
        "audio-folder": load_audio_folder,
        "audio-csv": load_audio_csv,
        # text
        "fortunes": load_fortunes,
        "language-id": load_language_id,
        "polarity": load_polarity,
        "text-csv": load_text_csv,
        "text-folder": load_text_folder,
        # video
        "moving-digits": load_moving_digits,
        "video-folder": load_video_folder,
    },
)
