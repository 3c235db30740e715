"""Every strategy of the lecture in one table, searchable in Spanish and English.

The source is the lecture *Estrategias de entrenamiento* (Berenice y Ricardo
Montalvo Lezama, Introducción al Aprendizaje Profundo, UNAM, 2021). One
:class:`Row` per strategy gives the lecture's section and slide, its Spanish
term as the lecture writes it (split out where one bullet names several, as
"adición de ruido a entradas, salidas y/o parámetros"), the English term, more
search words in both languages, the recipe keys and a ``--set`` that switches it
on, the code (dotted paths), the paper, the built-in study that shows it, and
whether it is built or still planned (and what is missing). Rows marked
``lecture=False`` are built beyond the lecture; their Spanish name is ours.

:func:`find` folds case and accents (Unicode NFKD, combining marks dropped) and
keeps letters and digits only, so "Deserción", "desercion" and "dropout" find
the same row. Results rank the row whose own term equals the word first, then
an equal search word, then a match at the start of a word ("espectrograma"
finds "espectrogramas"); ties keep the table's order. Only when nothing matches
so does a match inside words count, spaces ignored ("auto-supervisado" finds
"autosupervisado"). Pure data: nothing here imports torch or numpy, so listing
is instant. ``python -m trainlab.config.catalogue docs/lecture.md`` writes the
Markdown page.

Example:
    >>> from trainlab.config.catalogue import find
    >>> find("desercion")[0].english
    'dropout'
    >>> find("Deserción") == find("DESERCION")
    True
    >>> [(row.spanish, row.status) for row in find("early stopping")]
    [('paro temprano', 'built')]
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from trainlab.core.atomic import write_text_atomic
from trainlab.core.errors import ConfigError

Status = Literal["built", "planned"]
STATUSES: tuple[str, ...] = get_args(Status)


@dataclass(frozen=True)
class Paper:
    """A reference: authors, year of publication, title."""

    authors: str
    year: int
    title: str

    def __str__(self) -> str:
        end = "" if self.title.endswith(("?", "!", ".")) else "."
        return f"{self.authors} ({self.year}). {self.title}{end}"


@dataclass(frozen=True)
class Section:
    """A part of the lecture: a short key, its Spanish title, the English one."""

    key: str
    spanish: str
    english: str


#: the lecture's parts, in its order
SECTIONS: tuple[Section, ...] = (
    Section("preprocesamiento", "Preprocesamiento de datos", "Data preprocessing"),
    Section("acrecentamiento", "Acrecentamiento de datos", "Data augmentation"),
    Section("transferencia", "Transferencia de conocimiento", "Transfer of knowledge"),
    Section("particion", "Partición de los datos", "Data partition"),
    Section("sobreajuste", "Sobreajuste", "Overfitting"),
    Section("regularizacion", "Regularización", "Regularization"),
    Section("convergencia", "Mejorando convergencia", "Improving convergence"),
)


@dataclass(frozen=True)
class Row:
    """One strategy of the catalogue.

    Args:
        section: key of the lecture part (:data:`SECTIONS`).
        topic: the lecture's slide (or the nearest one, for a strategy beyond it).
        spanish: the lecture's term, as the lecture writes it (ours where ``lecture`` is False).
        english: the English term.
        words: more search words, synonyms in both languages.
        keys: recipe keys (dotted paths of :class:`~trainlab.config.recipe.Recipe`).
        sets: ``--set KEY=VALUE`` overrides that switch it on (keys among ``keys``).
        symbols: the code, as dotted paths (module, then attribute).
        command: a ``trainlab`` command that shows or runs it.
        paper: where it comes from.
        study: the built-in study that shows it (``trainlab studies``).
        variant: the variant of ``study`` that switches it on.
        status: ``built``, or ``planned`` with what is ``missing``.
        missing: for a planned row, what is not built yet.
        lecture: False for a strategy built beyond the lecture.

    Example:
        >>> from trainlab.config.catalogue import find
        >>> row = find("paro temprano")[0]
        >>> row.english, row.sets[0], row.study, row.variant
        ('early stopping', 'early_stopping.enabled=true', 'lecture', 'early-stopping')
    """

    section: str
    topic: str
    spanish: str
    english: str
    words: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    command: str | None = None
    paper: Paper | None = None
    study: str | None = None
    variant: str | None = None
    status: Status = "built"
    missing: str = ""
    lecture: bool = True

    def __post_init__(self) -> None:
        problem = _problem(self)
        if problem:
            raise ValueError(f"catalogue row {self.spanish!r}: {problem}")


def _problem(row: Row) -> str | None:
    """What is wrong with ``row``, or None."""
    if row.section not in {s.key for s in SECTIONS}:
        return f"unknown section {row.section!r}"
    if not (row.topic and row.spanish and row.english):
        return "topic, spanish and english must not be empty"
    lists = (row.words, row.keys, row.sets, row.symbols)
    if not all(isinstance(v, tuple) and all(isinstance(s, str) for s in v) for v in lists):
        return "words, keys, sets and symbols must be tuples of strings"
    if row.status not in STATUSES:
        return f"status {row.status!r}; expected one of: {', '.join(STATUSES)}"
    if (row.status == "planned") != bool(row.missing):
        return "a planned row says what is missing, a built one does not"
    if row.status == "planned" and (row.symbols or row.sets or row.study):
        return "a planned row has no code, --set or study yet"
    if row.variant and not row.study:
        return f"variant {row.variant!r} needs its study"
    stray = [s for s in row.sets if s.split("=", 1)[0] not in row.keys]
    return f"--set {stray[0]!r}: its key is not among the row's keys" if stray else None


# -- the references -------------------------------------------------------------------------
# fmt: off
_AN96 = Paper("An", 1996,
              "The Effects of Adding Noise During Backpropagation Training on a Generalization "
              "Performance")
_BELINKOV18 = Paper("Belinkov & Bisk", 2018,
                    "Synthetic and Natural Noise Both Break Neural Machine Translation")
_BENGIO03 = Paper("Bengio, Ducharme, Vincent & Jauvin", 2003,
                  "A Neural Probabilistic Language Model")
_BISHOP95 = Paper("Bishop", 1995, "Training with Noise is Equivalent to Tikhonov Regularization")
_CARUANA97 = Paper("Caruana", 1997, "Multitask Learning")
_DEVRIES17 = Paper("DeVries & Taylor", 2017,
                   "Improved Regularization of Convolutional Neural Networks with Cutout")
_DIETTERICH00 = Paper("Dietterich", 2000, "Ensemble Methods in Machine Learning")
_DOERSCH15 = Paper("Doersch, Gupta & Efros", 2015,
                   "Unsupervised Visual Representation Learning by Context Prediction")
_FINN17 = Paper("Finn, Abbeel & Levine", 2017,
                "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks")
_GAL16 = Paper("Gal & Ghahramani", 2016,
               "Dropout as a Bayesian Approximation: Representing Model Uncertainty in Deep "
               "Learning")
_GLOROT10 = Paper("Glorot & Bengio", 2010,
                  "Understanding the difficulty of training deep feedforward neural networks")
_GOODFELLOW16 = Paper("Goodfellow, Bengio & Courville", 2016, "Deep Learning")
_GREYDANUS20 = Paper("Greydanus", 2020, "Scaling Down Deep Learning")
_HARRIS54 = Paper("Harris", 1954, "Distributional Structure")
_HE15 = Paper("He, Zhang, Ren & Sun", 2015,
              "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet "
              "Classification")
_HOWARD18 = Paper("Howard & Ruder", 2018,
                  "Universal Language Model Fine-tuning for Text Classification")
_IOFFE15 = Paper("Ioffe & Szegedy", 2015,
                 "Batch Normalization: Accelerating Deep Network Training by Reducing Internal "
                 "Covariate Shift")
_KARPATHY14 = Paper("Karpathy et al.", 2014,
                    "Large-scale Video Classification with Convolutional Neural Networks")
_KO15 = Paper("Ko, Peddinti, Povey & Khudanpur", 2015, "Audio Augmentation for Speech Recognition")
_KOHAVI95 = Paper("Kohavi", 1995,
                  "A Study of Cross-Validation and Bootstrap for Accuracy Estimation and Model "
                  "Selection")
_KRIZHEVSKY12 = Paper("Krizhevsky, Sutskever & Hinton", 2012,
                      "ImageNet Classification with Deep Convolutional Neural Networks")
_KROGH92 = Paper("Krogh & Hertz", 1992, "A Simple Weight Decay Can Improve Generalization")
_LECUN98 = Paper("LeCun, Bottou, Orr & Müller", 1998, "Efficient BackProp")
_MIKOLOV13 = Paper("Mikolov, Chen, Corrado & Dean", 2013,
                   "Efficient Estimation of Word Representations in Vector Space")
_NIKHIL17 = Paper("Nikhil B.", 2017, "Image Data Pre-Processing for Neural Networks")
_PARK19 = Paper("Park et al.", 2019,
                "SpecAugment: A Simple Data Augmentation Method for Automatic Speech Recognition")
_PORTER80 = Paper("Porter", 1980, "An algorithm for suffix stripping")
_PRECHELT98 = Paper("Prechelt", 1998, "Early Stopping — But When?")
_RAZAVIAN14 = Paper("Razavian, Azizpour, Sullivan & Carlsson", 2014,
                    "CNN Features off-the-shelf: an Astounding Baseline for Recognition")
_RUDER17 = Paper("Ruder", 2017, "An Overview of Multi-Task Learning in Deep Neural Networks")
_SENNRICH16 = Paper("Sennrich, Haddow & Birch", 2016,
                    "Improving Neural Machine Translation Models with Monolingual Data")
_SIMARD03 = Paper("Simard, Steinkraus & Platt", 2003,
                  "Best Practices for Convolutional Neural Networks Applied to Visual Document "
                  "Analysis")
_SIMONYAN14 = Paper("Simonyan & Zisserman", 2014,
                    "Two-Stream Convolutional Networks for Action Recognition in Videos")
_SINGH15 = Paper("Singh, De, Zhang, Goldstein & Taylor", 2015,
                 "Layer-Specific Adaptive Learning Rates for Deep Networks")
_SRIVASTAVA14 = Paper("Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov", 2014,
                      "Dropout: A Simple Way to Prevent Neural Networks from Overfitting")
_STONE74 = Paper("Stone", 1974, "Cross-Validatory Choice and Assessment of Statistical Predictions")
_SZEGEDY15 = Paper("Szegedy et al.", 2015, "Going Deeper with Convolutions")
_SZEGEDY16 = Paper("Szegedy, Vanhoucke, Ioffe, Shlens & Wojna", 2016,
                   "Rethinking the Inception Architecture for Computer Vision")
_TIBSHIRANI96 = Paper("Tibshirani", 1996, "Regression Shrinkage and Selection via the Lasso")
_WANG16 = Paper("Wang et al.", 2016,
                "Temporal Segment Networks: Towards Good Practices for Deep Action Recognition")
_WEI19 = Paper("Wei & Zou", 2019,
               "EDA: Easy Data Augmentation Techniques for Boosting Performance on Text "
               "Classification Tasks")
_XIE16 = Paper("Xie, Wang, Wei, Wang & Tian", 2016,
               "DisturbLabel: Regularizing CNN on the Loss Layer")
_YOSINSKI14 = Paper("Yosinski, Clune, Bengio & Lipson", 2014,
                    "How transferable are features in deep neural networks?")
_YUN19 = Paper("Yun et al.", 2019,
               "CutMix: Regularization Strategy to Train Strong Classifiers with Localizable "
               "Features")
_ZHANG15 = Paper("Zhang, Zhao & LeCun", 2015,
                 "Character-level Convolutional Networks for Text Classification")
_ZHANG18 = Paper("Zhang, Cisse, Dauphin & Lopez-Paz", 2018,
                 "mixup: Beyond Empirical Risk Minimization")
_ZHONG20 = Paper("Zhong, Zheng, Kang, Li & Yang", 2020, "Random Erasing Data Augmentation")
_ZOUHIR14 = Paper("Zouhir & Ouni", 2014,
                  "A bio-inspired feature extraction for robust speech recognition")

# -- what is not built yet --------------------------------------------------------------------
_AUDIO = "audio preprocessing is not built yet (no audio data, no preprocess/audio)"
_TEXT = "text preprocessing is not built yet (no text data, tokenizer or preprocess/text)"
_VIDEO = "video preprocessing is not built yet (no video data or clip reader)"
_AUDIO_AUG = "audio augmentation is not built yet (no audio data, no augment/audio)"
_TEXT_AUG = "text augmentation is not built yet (no text data, no augment/text)"
_MULTI = "multitask learning is not built yet (no per-task heads, losses or data)"

# -- the table -------------------------------------------------------------------------------
ROWS: tuple[Row, ...] = (
    # Preprocesamiento de datos
    Row("preprocesamiento", "Normalización", "estandarización", "standardization",
        words=("z-score", "estandarizar", "media cero y varianza uno", "zero mean, unit variance",
               "normalización", "normalization", "StandardScaler"),
        keys=("preprocess.normalize", "preprocess.per"), sets=("preprocess.normalize=standard",),
        symbols=("trainlab.preprocess.normalize.StandardNormalizer",
                 "trainlab.preprocess.normalize.build_normalizer"),
        paper=_LECUN98),
    Row("preprocesamiento", "Normalización", "escalado (min-max)", "min-max scaling",
        words=("normalización min-max", "min-max normalization", "minmax", "escalamiento",
               "rescaling to [0, 1]", "MinMaxScaler"),
        keys=("preprocess.normalize", "preprocess.per"), sets=("preprocess.normalize=minmax",),
        symbols=("trainlab.preprocess.normalize.MinMaxNormalizer",)),
    Row("preprocesamiento", "Normalización", "magnitud unitaria", "unit norm",
        words=("norma unitaria", "unit-norm", "unit length", "vector unitario",
               "normalización por norma", "L2 normalization"),
        keys=("preprocess.normalize", "preprocess.per"), sets=("preprocess.normalize=unit-norm",),
        symbols=("trainlab.preprocess.normalize.UnitNormNormalizer",)),
    Row("preprocesamiento", "Preprocesamiento de imágenes (I)", "radio uniforme",
        "uniform aspect ratio",
        words=("relación de aspecto", "aspect ratio", "tamaño uniforme", "redimensionar", "resize",
               "letterbox", "relleno", "padding", "recorte central", "center crop", "squish"),
        keys=("preprocess.image.size", "preprocess.image.fit"),
        sets=("preprocess.image.size=[32, 32]", "preprocess.image.fit=pad"),
        symbols=("trainlab.preprocess.image.fit.fit_image",
                 "trainlab.preprocess.image.fit.make_uniform"),
        paper=_NIKHIL17),
    Row("preprocesamiento", "Preprocesamiento de imágenes (II)", "escalado de valores de pixeles",
        "pixel value scaling",
        words=("píxeles", "pixel scaling", "escalar pixeles", "uint8", "de 0-255 a [0, 1]"),
        keys=("preprocess.pixel_scale",), sets=("preprocess.pixel_scale=true",),
        symbols=("trainlab.preprocess.image.fit.scale_pixels",)),
    Row("preprocesamiento", "Preprocesamiento de audio (I)", "filtrado de bandas", "band filtering",
        words=("filtro pasa banda", "band-pass filter", "pasa bajas", "low-pass", "pasa altas",
               "high-pass", "filtros de frecuencia"),
        status="planned", missing=_AUDIO),
    Row("preprocesamiento", "Preprocesamiento de audio (II)", "espectogramas", "spectrograms",
        words=("espectrogramas", "log-mel", "mel spectrogram", "STFT",
               "transformada de Fourier de tiempo corto"),
        paper=_ZOUHIR14, status="planned", missing=_AUDIO),
    Row("preprocesamiento", "Preprocesamiento de texto (I)",
        "representaciones de bolsas de palabras", "bag-of-words representations",
        words=("bolsa de palabras", "bag of words", "BoW", "conteo de palabras", "tokenización",
               "tokenization"),
        paper=_HARRIS54, status="planned", missing=_TEXT),
    Row("preprocesamiento", "Preprocesamiento de texto (I)",
        "remover palabras demasiado comunes (stop words)", "stop-word removal",
        words=("palabras vacías", "palabras funcionales", "stopwords", "quitar palabras comunes"),
        status="planned", missing=_TEXT),
    Row("preprocesamiento", "Preprocesamiento de texto (I)",
        "reducir las palabras a sus raíces (stemming)", "stemming",
        words=("raíz", "stemmer", "lematización", "lemmatization", "Porter", "Snowball"),
        paper=_PORTER80, status="planned", missing=_TEXT),
    Row("preprocesamiento", "Preprocesamiento de texto (I)", "quitar caracteres",
        "character stripping",
        words=("eliminar caracteres", "remove characters", "limpieza de texto", "text cleaning",
               "puntuación", "punctuation"),
        status="planned", missing=_TEXT),
    Row("preprocesamiento", "Preprocesamiento de texto (II)", "encajes de palabra",
        "word embeddings",
        words=("representaciones distribuidas", "distributed representations", "embeddings",
               "incrustaciones de palabras", "vectores de palabras", "word vectors"),
        paper=_BENGIO03, status="planned", missing=_TEXT),
    Row("preprocesamiento", "Preprocesamiento de texto (III)", "word2vec (CBOW y skip-gram)",
        "word2vec (CBOW and skip-gram)",
        words=("representaciones densas", "dense representations", "CBOW", "skip-gram",
               "continuous bag of words"),
        paper=_MIKOLOV13, status="planned", missing=_TEXT),
    Row("preprocesamiento", "Preprocesamiento de video", "preprocesamiento por marco",
        "per-frame preprocessing",
        words=("cuadro", "fotograma", "frame", "por cuadro", "frame by frame"), paper=_KARPATHY14,
        status="planned", missing=_VIDEO),
    Row("preprocesamiento", "Preprocesamiento de video", "muestreo de marcos", "frame sampling",
        words=("muestreo uniforme", "uniform sampling", "muestreo por movimiento",
               "motion-based sampling", "fotogramas clave", "keyframes"),
        paper=_WANG16, status="planned", missing=_VIDEO),
    Row("preprocesamiento", "Preprocesamiento de video",
        "flujo de movimiento, segmentación de movimiento", "optical flow, motion segmentation",
        words=("flujo óptico", "optical flow", "motion segmentation", "movimiento", "two-stream"),
        paper=_SIMONYAN14, status="planned", missing=_VIDEO),
    # Acrecentamiento de datos
    Row("acrecentamiento", "Acrecentamiento de datos", "acrecentamiento de datos",
        "data augmentation",
        words=("aumentado de datos", "aumento de datos", "augment", "augmentation",
               "transformaciones aleatorias", "augment-preview"),
        keys=("augment",), sets=("augment=[{name: affine, rotation: 15, translate: 0.1}]",),
        symbols=("trainlab.augment.registry.AUGMENTATIONS", "trainlab.augment._base.Augmentation",
                 "trainlab.engine.augment.Augment"),
        command="trainlab augment-preview", paper=_SIMARD03, study="augmentation"),
    Row("acrecentamiento", "Acrecentamiento de imágenes: transformaciones",
        "acrecentamiento de imágenes: transformaciones",
        "image augmentation: affine transformations",
        words=("transformación afín", "affine", "matriz", "matrix", "RandomAffine"),
        keys=("augment",),
        sets=("augment=[{name: affine, rotation: 15, translate: 0.1, shear: 10}]",),
        symbols=("trainlab.augment.image.affine.RandomAffine",
                 "trainlab.augment.image.affine.warp_affine"),
        paper=_SIMARD03, study="augmentation", variant="affine"),
    Row("acrecentamiento", "Acrecentamiento de imágenes: transformaciones", "traslación",
        "translation",
        words=("desplazamiento", "shift", "translate", "mover"), keys=("augment",),
        sets=("augment=[{name: translate, translate: 0.1}]",),
        symbols=("trainlab.augment.image.affine.RandomTranslate",
                 "trainlab.augment.image.affine.translation_matrix"),
        paper=_SIMARD03, study="augmentation", variant="affine"),
    Row("acrecentamiento", "Acrecentamiento de imágenes: transformaciones", "rescalado",
        "rescaling",
        words=("escala", "scale", "rescale", "zoom", "cambio de escala"), keys=("augment",),
        sets=("augment=[{name: rescale, scale: [0.9, 1.1]}]",),
        symbols=("trainlab.augment.image.affine.RandomRescale",
                 "trainlab.augment.image.affine.scale_matrix"),
        paper=_SIMARD03, study="augmentation", variant="affine"),
    Row("acrecentamiento", "Acrecentamiento de imágenes: transformaciones", "giro", "flip",
        words=("volteo", "voltear", "espejo", "reflejo", "mirror", "horizontal flip",
               "vertical flip", "hflip"),
        keys=("augment",), sets=("augment=[{name: flip, hflip: 0.5}]",),
        symbols=("trainlab.augment.image.affine.RandomFlip",
                 "trainlab.augment.image.affine.flip_matrix"),
        paper=_KRIZHEVSKY12, study="augmentation", variant="fashion-affine"),
    Row("acrecentamiento", "Acrecentamiento de imágenes: transformaciones", "rotación", "rotation",
        words=("rotar", "girar", "rotate", "ángulo", "angle"), keys=("augment",),
        sets=("augment=[{name: rotate, rotation: 15}]",),
        symbols=("trainlab.augment.image.affine.RandomRotate",
                 "trainlab.augment.image.affine.rotation_matrix"),
        paper=_SIMARD03, study="augmentation", variant="affine"),
    Row("acrecentamiento", "Acrecentamiento de imágenes: transformaciones", "deformación de corte",
        "shear",
        words=("cizallamiento", "cizalla", "inclinación", "shearing", "shear mapping"),
        keys=("augment",), sets=("augment=[{name: shear, shear: 10}]",),
        symbols=("trainlab.augment.image.affine.RandomShear",
                 "trainlab.augment.image.affine.shear_matrix"),
        paper=_SIMARD03, study="augmentation", variant="affine"),
    Row("acrecentamiento", "Acrecentamiento de imágenes: transformaciones",
        "traslación y escalado en el tiempo", "time shift and time scaling",
        words=("señales 1-D", "1-D signals", "series de tiempo", "time series", "time-shift",
               "time-scale", "MNIST-1D"),
        keys=("augment",),
        sets=("augment=[{name: time-shift, max_shift: 0.1}, {name: time-scale}]",),
        symbols=("trainlab.augment.signal.time.TimeShift",
                 "trainlab.augment.signal.time.TimeScale"),
        paper=_GREYDANUS20, study="augmentation", variant="mnist1d-time", lecture=False),
    Row("acrecentamiento", "Acrecentamiento de imágenes", "recorte aleatorio redimensionado",
        "random resized crop",
        words=("recorte aleatorio", "random crop", "Inception crop", "random-resized-crop"),
        keys=("augment",), sets=("augment=[{name: random-resized-crop, scale: [0.5, 1.0]}]",),
        symbols=("trainlab.augment.image.crop.RandomResizedCrop",), paper=_SZEGEDY15,
        lecture=False),
    Row("acrecentamiento", "Acrecentamiento de imágenes", "variación de color", "colour jitter",
        words=("color jitter", "color-jitter", "brillo", "brightness", "contraste", "contrast",
               "saturación de color", "saturation"),
        keys=("augment",),
        sets=("augment=[{name: color-jitter, brightness: 0.4, contrast: 0.4, saturation: 0.4}]",),
        symbols=("trainlab.augment.image.color.ColorJitter",), paper=_KRIZHEVSKY12, lecture=False),
    Row("acrecentamiento", "Acrecentamiento de imágenes", "borrado aleatorio", "random erasing",
        words=("random-erasing", "oclusión", "occlusion", "borrar un rectángulo"),
        keys=("augment",), sets=("augment=[{name: random-erasing, p: 0.25}]",),
        symbols=("trainlab.augment.image.erase.RandomErasing",), paper=_ZHONG20, lecture=False),
    Row("acrecentamiento", "Acrecentamiento de imágenes", "recorte de un cuadrado (cutout)",
        "cutout",
        words=("oclusión", "occlusion", "borrar un cuadrado"), keys=("augment",),
        sets=("augment=[{name: cutout, size: 0.5}]",),
        symbols=("trainlab.augment.image.erase.Cutout",), paper=_DEVRIES17, lecture=False),
    Row("acrecentamiento", "Acrecentamiento de imágenes", "mezcla de ejemplos (mixup)", "mixup",
        words=("mezcla", "combinación convexa", "convex combination", "etiquetas mezcladas",
               "soft labels"),
        keys=("augment",), sets=("augment=[{name: mixup, alpha: 0.2}]",),
        symbols=("trainlab.augment.mix.Mixup",), paper=_ZHANG18, lecture=False),
    Row("acrecentamiento", "Acrecentamiento de imágenes", "recorte y mezcla (cutmix)", "CutMix",
        words=("pegar un recorte", "cut and paste", "etiquetas mezcladas", "soft labels"),
        keys=("augment",), sets=("augment=[{name: cutmix, alpha: 1.0}]",),
        symbols=("trainlab.augment.mix.CutMix",), paper=_YUN19, lecture=False),
    Row("acrecentamiento", "Acrecentamiento de datos", "acrecentamiento en prueba",
        "test-time augmentation",
        words=("TTA", "aumento en tiempo de prueba", "promedio de vistas", "averaged views",
               "test_time"),
        keys=("test_time.flip", "test_time.shift"),
        sets=("test_time.flip=true", "test_time.shift=2"),
        symbols=("trainlab.augment.tta.tta_probabilities", "trainlab.augment.tta.tta_views"),
        paper=_KRIZHEVSKY12, lecture=False),
    Row("acrecentamiento", "Acrecentamiento de audio", "agregar ruido", "adding noise (audio)",
        words=("ruido de fondo", "background noise", "noise injection", "audio"), status="planned",
        missing="audio augmentation is not built yet; gaussian-noise already takes 1-D signals"),
    Row("acrecentamiento", "Acrecentamiento de audio", "cambiar la velocidad o tono",
        "speed and pitch change",
        words=("velocidad", "tono", "speed perturbation", "pitch shift", "time stretch",
               "estiramiento temporal"),
        paper=_KO15, status="planned", missing=_AUDIO_AUG),
    Row("acrecentamiento", "Acrecentamiento de audio", "enmascaramiento del espectograma",
        "spectrogram masking (SpecAugment)",
        words=("SpecAugment", "espectrograma", "máscara de tiempo", "time masking",
               "máscara de frecuencia", "frequency masking"),
        paper=_PARK19, status="planned", missing=_AUDIO_AUG),
    Row("acrecentamiento", "Acrecentamiento en texto",
        "insertar/cambiar/quitar símbolos aleatoriamente",
        "random character insertion, substitution and deletion",
        words=("símbolos", "caracteres", "character noise", "character-level augmentation"),
        paper=_BELINKOV18, status="planned", missing=_TEXT_AUG),
    Row("acrecentamiento", "Acrecentamiento en texto", "simular errores de teclado",
        "keyboard typos",
        words=("typos", "keyboard errors", "errores de tecleo", "teclas vecinas"),
        paper=_BELINKOV18, status="planned", missing=_TEXT_AUG),
    Row("acrecentamiento", "Acrecentamiento en texto", "cambiar/quitar palabras aleatoriamente",
        "random word substitution and deletion",
        words=("modelo de lenguaje", "language model", "bolsa de palabras", "random swap",
               "random deletion", "EDA"),
        paper=_WEI19, status="planned", missing=_TEXT_AUG),
    Row("acrecentamiento", "Acrecentamiento en texto", "cambiar palabras por sinónimos",
        "synonym replacement",
        words=("sinónimos", "synonyms", "WordNet", "tesauro", "thesaurus"), paper=_ZHANG15,
        status="planned", missing=_TEXT_AUG),
    Row("acrecentamiento", "Acrecentamiento en texto",
        "cambiar palabras de acuerdo a errores de escritura", "misspelling injection",
        words=("errores de escritura", "faltas de ortografía", "errores ortográficos",
               "misspellings", "spelling errors"),
        paper=_BELINKOV18, status="planned", missing=_TEXT_AUG),
    Row("acrecentamiento", "Acrecentamiento en texto: traducción inversa", "traducción inversa",
        "back-translation",
        words=("retrotraducción", "back translation", "paráfrasis", "paraphrasing"),
        paper=_SENNRICH16, status="planned", missing=_TEXT_AUG),
    Row("acrecentamiento", "Acrecentamiento en video", "acrecentamiento en video",
        "video augmentation",
        words=("clips", "una transformación por clip", "one draw per clip", "jitter temporal",
               "temporal jitter"),
        status="planned",
        missing="video augmentation is not built yet (no video data, no augment/video)"),
    # Transferencia de conocimiento
    Row("transferencia", "Transferencia de conocimiento: esquema general",
        "transferencia de conocimiento", "transfer learning",
        words=("transfer of knowledge", "aprendizaje por transferencia", "modelo preentrenado",
               "pretrained model", "tarea base", "tarea objetivo"),
        keys=("transfer.checkpoint", "transfer.stages", "transfer.strategy"),
        sets=("transfer.checkpoint=runs/base/model.safetensors",),
        symbols=("trainlab.engine.transfer.source.load_source",
                 "trainlab.engine.transfer.copy.copy_stages"),
        paper=_YOSINSKI14),
    Row("transferencia", "Transferencia de capas", "transferencia de capas",
        "layer transfer (the first n layers)",
        words=("primeras n capas", "first n layers", "copiar capas", "copy stages", "etapas",
               "stages"),
        keys=("transfer.checkpoint", "transfer.stages"),
        sets=("transfer.checkpoint=runs/base/model.safetensors", "transfer.stages=2"),
        symbols=("trainlab.engine.transfer.copy.copy_stages",), paper=_YOSINSKI14),
    Row("transferencia", "Transferencia de capas", "congelado", "freezing",
        words=("congelar", "freeze", "frozen", "freeze-first-n", "capas congeladas",
               "sin actualizaciones"),
        keys=("transfer.checkpoint", "transfer.strategy", "transfer.freeze"),
        sets=("transfer.checkpoint=runs/base/model.safetensors", "transfer.strategy=freeze-first-n",
              "transfer.freeze=2"),
        symbols=("trainlab.engine.transfer.plans.TRANSFERS",
                 "trainlab.engine.transfer.callback.TransferCallback"),
        paper=_YOSINSKI14),
    Row("transferencia", "Transferencia de capas", "afinado", "fine-tuning",
        words=("afinar", "ajuste fino", "fine-tune", "fine tuning", "reentrenar"),
        keys=("transfer.checkpoint", "transfer.strategy", "transfer.stages"),
        sets=("transfer.checkpoint=runs/base/model.safetensors", "transfer.strategy=fine-tune-all",
              "transfer.stages=2"),
        symbols=("trainlab.engine.transfer.plans.TRANSFERS",
                 "trainlab.engine.transfer.plans.build_plan"),
        paper=_YOSINSKI14),
    Row("transferencia", "Transferencia de capas", "solo la última capa", "last layer only",
        words=("head-only", "cabeza", "head", "extractor de características", "feature extractor",
               "off-the-shelf features", "linear probe"),
        keys=("transfer.checkpoint", "transfer.strategy"),
        sets=("transfer.checkpoint=runs/base/model.safetensors", "transfer.strategy=head-only"),
        symbols=("trainlab.engine.transfer.plans.TRANSFERS",), paper=_RAZAVIAN14),
    Row("transferencia", "Transferencia de capas", "toda la red", "whole network (fine-tune all)",
        words=("red completa", "fine-tune-all", "todas las capas", "all layers"),
        keys=("transfer.checkpoint", "transfer.strategy"),
        sets=("transfer.checkpoint=runs/base/model.safetensors", "transfer.strategy=fine-tune-all"),
        symbols=("trainlab.engine.transfer.plans.TRANSFERS",), paper=_YOSINSKI14),
    Row("transferencia", "Transferencia de capas", "aprendizaje diferencial",
        "differential learning rates",
        words=("tasas de aprendizaje por capa", "discriminative fine-tuning",
               "layer-wise learning rates", "differential-lr", "lr_decay"),
        keys=("transfer.checkpoint", "transfer.strategy", "transfer.lrs", "transfer.lr_decay"),
        sets=("transfer.checkpoint=runs/base/model.safetensors",
              "transfer.strategy=differential-lr", "transfer.lr_decay=0.5"),
        symbols=("trainlab.engine.transfer.param_groups.stage_param_groups",
                 "trainlab.engine.transfer.plans.TRANSFERS"),
        paper=_SINGH15),
    Row("transferencia", "Transferencia de capas",
        "revisar con cuidado la normalización usada por el modelo original",
        "checking the pretrained model's normalization",
        words=("normalización del modelo preentrenado", "preprocessing mismatch",
               "estadísticas de normalización", "mean and std", "ImageNet"),
        keys=("transfer.checkpoint", "transfer.preprocessing"),
        sets=("transfer.checkpoint=runs/base/model.safetensors", "transfer.preprocessing=fail"),
        symbols=("trainlab.engine.transfer.normalization.preprocessing_mismatches",)),
    Row("transferencia", "Transferencia de capas",
        "lectura de datos: formatos, canales, bibliotecas, redimensionado",
        "reading the data: formats, channels, libraries, resizing",
        words=("canales", "RGB", "escala de grises", "grayscale", "torchvision", "timm",
               "modelos de otras bibliotecas", "import-model"),
        keys=("preprocess.image.channels", "preprocess.image.size", "transfer.architecture"),
        sets=("preprocess.image.channels=3", "preprocess.image.size=[224, 224]"),
        symbols=("trainlab.preprocess.image.fit.convert_channels",
                 "trainlab.models.external.load_external",
                 "trainlab.workflows.model_import.import_model"),
        command="trainlab import-model"),
    Row("transferencia", "Transferencia de capas", "descongelado gradual", "gradual unfreezing",
        words=("descongelar", "unfreeze", "gradual-unfreeze", "ULMFiT"),
        keys=("transfer.checkpoint", "transfer.strategy", "transfer.unfreeze_every"),
        sets=("transfer.checkpoint=runs/base/model.safetensors",
              "transfer.strategy=gradual-unfreeze", "transfer.unfreeze_every=1"),
        symbols=("trainlab.engine.transfer.plans.TRANSFERS",
                 "trainlab.engine.transfer.callback.TransferCallback"),
        paper=_HOWARD18, lecture=False),
    Row("transferencia", "Transferencia de conocimiento: desempeño en distintas tareas",
        "estudio de transferibilidad (Yosinski et al.)", "transferability study (Yosinski et al.)",
        words=("transferibilidad", "transferability", "BnB", "AnB", "similitud de las tareas",
               "task similarity", "transfer-study"),
        symbols=("trainlab.workflows.transfer_study.TransferStudy",
                 "trainlab.workflows.transfer_study.run_transfer_study",
                 "trainlab.stats.transferability.analyze"),
        command="trainlab transfer-study", paper=_YOSINSKI14, lecture=False),
    Row("transferencia", "Meta aprendizaje", "meta aprendizaje", "meta-learning",
        words=("meta-aprendizaje", "metaaprendizaje", "aprender a aprender", "learning to learn",
               "few-shot", "pocos ejemplos", "episodios", "MAML"),
        paper=_FINN17, status="planned",
        missing="meta-learning is not built yet (no few-shot episodes, no episodic task)"),
    Row("transferencia", "Aprendizaje autosupervisado", "aprendizaje autosupervisado",
        "self-supervised learning",
        words=("aprendizaje auto-supervisado", "self-supervised", "tareas de pretexto",
               "pretext tasks", "datos sin etiquetas", "unlabelled data", "preentrenamiento",
               "pretraining", "contrastive"),
        paper=_DOERSCH15, status="planned",
        missing="self-supervised pretraining is not built yet (no pretext or contrastive task)"),
    # Partición de los datos
    Row("particion", "Partición de los datos", "partición de los datos", "data partition",
        words=("partición de datos", "train/validation/test", "entrenamiento, validación y prueba",
               "holdout", "conjunto de validación", "validation set", "test set", "estratificado",
               "stratified split", "data split"),
        keys=("split.method", "split.val", "split.test", "split.stratify"),
        sets=("split.val=0.1", "split.test=0.2", "split.stratify=true"),
        symbols=("trainlab.data.split.holdout_indices", "trainlab.data.split.split_bundle"),
        paper=_KOHAVI95),
    Row("particion", "Partición de los datos", "validación cruzada de k particiones",
        "k-fold cross-validation",
        words=("k-fold", "kfold", "validación cruzada", "cross-validation", "pliegues", "folds"),
        keys=("split.method", "split.folds", "split.fold"),
        sets=("split.method=kfold", "split.folds=5", "split.fold=0"),
        symbols=("trainlab.data.split.kfold_indices",), paper=_STONE74, lecture=False),
    # Sobreajuste
    Row("sobreajuste", "Como identificar el sobreajuste", "identificar el sobreajuste",
        "detecting overfitting and underfitting",
        words=("detección de sobreajuste", "overfitting", "subajuste", "underfitting",
               "curvas de aprendizaje", "learning curves", "brecha de generalización",
               "generalization gap", "diagnóstico", "verdict"),
        symbols=("trainlab.engine.diagnose.curves.diagnose",
                 "trainlab.engine.diagnose.curves.generalization_gap"),
        command="trainlab run", paper=_GOODFELLOW16),
    # Regularización
    Row("regularizacion", "Penalización de pesos y sesgos con norma ℓ1 y ℓ2",
        "penalización con norma ℓ1", "L1 penalty",
        words=("penalización L1", "penalización L1/L2", "norma l1", "regularización L1", "lasso",
               "penalización de función de error", "loss penalty", "sparsity", "sesgos"),
        keys=("regularization.l1", "regularization.penalize_bias"),
        sets=("regularization.l1=0.0001",),
        symbols=("trainlab.engine.strategies.penalties.Penalty",
                 "trainlab.engine.strategies.penalties.penalty"),
        paper=_TIBSHIRANI96, study="lecture", variant="l1"),
    Row("regularizacion", "Penalización de pesos y sesgos con norma ℓ1 y ℓ2",
        "penalización con norma ℓ2", "L2 penalty",
        words=("penalización L2", "penalización L1/L2", "norma l2", "regularización L2", "ridge",
               "decaimiento de pesos", "weight decay", "Tikhonov",
               "penalización de función de error", "loss penalty", "sesgos"),
        keys=("regularization.l2", "regularization.penalize_bias", "optimizer.weight_decay"),
        sets=("regularization.l2=0.001",),
        symbols=("trainlab.engine.strategies.penalties.Penalty",
                 "trainlab.engine.strategies.penalties.penalty"),
        paper=_KROGH92, study="lecture", variant="l2"),
    Row("regularizacion", "Estrategias para mitigar el sobreajuste", "adición de ruido a entradas",
        "noise on the inputs",
        words=("ruido en entradas", "ruido gaussiano", "gaussian noise", "gaussian-noise",
               "input noise", "input-noise"),
        keys=("regularization.input_noise", "augment"), sets=("regularization.input_noise=0.5",),
        symbols=("trainlab.engine.strategies.noise.InputNoise",
                 "trainlab.augment.noise.GaussianNoise"),
        paper=_BISHOP95, study="lecture", variant="input-noise"),
    Row("regularizacion", "Estrategias para mitigar el sobreajuste", "adición de ruido a salidas",
        "noise on the outputs (label flipping)",
        words=("ruido en salidas", "ruido en etiquetas", "label noise", "label flip", "label-flip",
               "DisturbLabel"),
        keys=("regularization.label_flip",), sets=("regularization.label_flip=0.1",),
        symbols=("trainlab.engine.strategies.noise.LabelFlip",
                 "trainlab.engine.strategies.noise.flip_labels"),
        paper=_XIE16, study="lecture", variant="label-flip"),
    Row("regularizacion", "Estrategias para mitigar el sobreajuste",
        "adición de ruido a parámetros", "noise on the parameters (weight noise)",
        words=("ruido en parámetros", "ruido en pesos", "weight noise", "weight-noise",
               "perturbación de pesos"),
        keys=("regularization.weight_noise",), sets=("regularization.weight_noise=0.01",),
        symbols=("trainlab.engine.strategies.noise.WeightNoise",), paper=_AN96, study="lecture",
        variant="weight-noise"),
    Row("regularizacion", "Estrategias para mitigar el sobreajuste", "suavizado de etiquetas",
        "label smoothing",
        words=("etiquetas suaves", "soft targets", "label-smoothing"),
        keys=("regularization.label_smoothing",), sets=("regularization.label_smoothing=0.1",),
        symbols=("trainlab.engine.loop.Trainer",), paper=_SZEGEDY16, study="lecture",
        variant="label-smoothing", lecture=False),
    Row("regularizacion", "Estrategias para mitigar el sobreajuste", "ensambles", "ensembles",
        words=("ensamble", "ensemble", "comité", "promedio de modelos", "model averaging",
               "miembros", "members"),
        keys=("ensemble.members",), sets=("ensemble.members=3",),
        symbols=("trainlab.engine.strategies.ensemble.ensemble_probabilities",
                 "trainlab.engine.strategies.ensemble.average_probabilities"),
        paper=_DIETTERICH00, study="lecture", variant="ensemble"),
    Row("regularizacion", "Paro temprano", "paro temprano", "early stopping",
        words=("parada temprana", "detención temprana", "early-stopping", "paciencia", "patience",
               "mejor época", "best epoch"),
        keys=("early_stopping.enabled", "early_stopping.patience", "early_stopping.monitor",
              "early_stopping.restore_best"),
        sets=("early_stopping.enabled=true", "early_stopping.patience=3"),
        symbols=("trainlab.engine.strategies.early_stopping.EarlyStopping",), paper=_PRECHELT98,
        study="lecture", variant="early-stopping"),
    Row("regularizacion", "Aprendizaje de multitarea", "aprendizaje de múltiples tareas",
        "multitask learning",
        words=("aprendizaje multitarea", "aprendizaje de multitarea", "multi-task learning",
               "varias tareas", "tareas simultáneas"),
        paper=_CARUANA97, status="planned", missing=_MULTI),
    Row("regularizacion", "Aprendizaje de multitarea", "compartición dura de parámetros",
        "hard parameter sharing",
        words=("multitarea", "multitask", "capas compartidas", "shared layers"), paper=_RUDER17,
        status="planned", missing=_MULTI),
    Row("regularizacion", "Aprendizaje de multitarea", "compartición suave de parámetros",
        "soft parameter sharing",
        words=("multitarea", "multitask", "parámetros parecidos", "similar parameters"),
        paper=_RUDER17, status="planned", missing=_MULTI),
    Row("regularizacion", "Estrategias para mitigar el sobreajuste", "deserción (dropout)",
        "dropout",
        words=("deserción", "apagar neuronas", "desactivar neuronas", "co-adaptación",
               "co-adaptation"),
        keys=("model.dropout",), sets=("model.dropout=0.5",),
        symbols=("trainlab.models.mlp.MLP", "trainlab.models.cnn.CNN"), paper=_SRIVASTAVA14,
        study="lecture", variant="dropout"),
    Row("regularizacion", "Deserción como ensamble", "deserción como ensamble",
        "Monte-Carlo dropout (dropout as an ensemble)",
        words=("dropout como ensamble", "MC dropout", "Monte Carlo dropout", "mc_dropout",
               "incertidumbre", "uncertainty"),
        keys=("ensemble.mc_dropout", "model.dropout"),
        sets=("model.dropout=0.5", "ensemble.mc_dropout=20"),
        symbols=("trainlab.engine.strategies.ensemble.ensemble_probabilities",), paper=_GAL16),
    # Mejorando convergencia
    Row("convergencia", "Normalización por lote", "normalización por lotes", "batch normalization",
        words=("normalización por lote", "batch norm", "batchnorm", "batch_norm", "BN",
               "internal covariate shift"),
        keys=("model.batch_norm",), sets=("model.batch_norm=true",),
        symbols=("trainlab.models.mlp.MLP", "trainlab.models.cnn.CNN"), paper=_IOFFE15,
        study="lecture", variant="batch-norm"),
    Row("convergencia", "Inicialización de pesos (I)", "inicialización de pesos",
        "weight initialization",
        words=("inicialización", "initialization", "init", "esquema de inicialización",
               "init scheme", "pesos iniciales"),
        keys=("init.scheme", "init.std"), sets=("init.scheme=he-normal",),
        symbols=("trainlab.models.init.INITS", "trainlab.models.init.apply_init"), paper=_GLOROT10,
        study="lecture"),
    Row("convergencia", "Inicialización de pesos (I)",
        "distribución gaussiana con media 0 y varianza 0.01", "normal N(0, 0.01)",
        words=("small-normal", "normal pequeña", "varianza 0.01", "std 0.1"), keys=("init.scheme",),
        sets=("init.scheme=small-normal",), symbols=("trainlab.models.init.small_normal_init",),
        study="lecture", variant="deep-small-normal"),
    Row("convergencia", "Inicialización de pesos (I)",
        "distribución gaussiana con media 0 y varianza 1", "normal N(0, 1)",
        words=("unit-normal", "normal estándar", "standard normal", "varianza 1"),
        keys=("init.scheme",), sets=("init.scheme=unit-normal",),
        symbols=("trainlab.models.init.unit_normal_init",), study="lecture",
        variant="deep-unit-normal"),
    Row("convergencia", "Inicialización de pesos (II)", "uniforme de Glorot y Bengio",
        "Glorot (Xavier) uniform",
        words=("glorot-uniform", "xavier uniform", "xavier-uniform"), keys=("init.scheme",),
        sets=("init.scheme=glorot-uniform",), symbols=("trainlab.models.init.glorot_uniform_init",),
        paper=_GLOROT10, study="lecture", variant="deep-glorot-uniform"),
    Row("convergencia", "Inicialización de pesos (II)", "normal de Glorot y Bengio",
        "Glorot (Xavier) normal",
        words=("glorot-normal", "xavier normal", "xavier-normal"), keys=("init.scheme",),
        sets=("init.scheme=glorot-normal",), symbols=("trainlab.models.init.glorot_normal_init",),
        paper=_GLOROT10, study="lecture", variant="deep-glorot-normal"),
    Row("convergencia", "Inicialización de pesos (II)", "normal de He et al.",
        "He (Kaiming) normal",
        words=("he-normal", "kaiming normal", "kaiming-normal"), keys=("init.scheme",),
        sets=("init.scheme=he-normal",), symbols=("trainlab.models.init.he_normal_init",),
        paper=_HE15, study="lecture", variant="deep-he-normal"),
    Row("convergencia", "Inicialización de pesos (II)", "uniforme de He et al.",
        "He (Kaiming) uniform",
        words=("he-uniform", "kaiming uniform", "kaiming-uniform"), keys=("init.scheme",),
        sets=("init.scheme=he-uniform",), symbols=("trainlab.models.init.he_uniform_init",),
        paper=_HE15, lecture=False),
    Row("convergencia", "Inicialización de pesos (I)", "saturación de las neuronas",
        "activation and gradient statistics per layer",
        words=("activaciones tienden a 0", "gradientes se vuelven 0", "vanishing gradients",
               "desvanecimiento del gradiente", "exploding gradients", "neuronas muertas",
               "dead units", "probes"),
        symbols=("trainlab.engine.diagnose.probes.ActivationProbe",
                 "trainlab.engine.diagnose.probes.layer_statistics"),
        command="trainlab study lecture", paper=_GLOROT10, study="lecture"),
)
# fmt: on


# -- search -----------------------------------------------------------------------------------
def fold(text: str) -> str:
    """``text`` as search compares it: lower case, no accents, letters and digits only.

    Example:
        >>> fold("Deserción (Dropout)"), fold("norma ℓ₁"), fold("auto-supervisado")
        ('desercion dropout', 'norma l1', 'auto supervisado')
    """
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def section(key: str) -> Section:
    """The lecture part named ``key``; ``ConfigError`` if there is none.

    Example:
        >>> section("regularizacion").spanish
        'Regularización'
    """
    for s in SECTIONS:
        if s.key == key:
            return s
    known = ", ".join(s.key for s in SECTIONS)
    raise ConfigError(f"unknown lecture section {key!r}; expected one of: {known}")


def _texts(row: Row) -> tuple[list[str], list[str]]:
    """The row's own terms, and every other text search looks at, folded."""
    part = section(row.section)
    other = [*row.words, *row.keys, *row.sets, *row.symbols, row.topic, part.spanish, part.english]
    other += [row.command or "", row.study or "", row.variant or "", str(row.paper or "")]
    return [fold(row.spanish), fold(row.english)], [fold(t) for t in other if t]


#: the rank of a match that starts inside a word (``_rank``)
_INSIDE = 4


def _rank(row: Row, query: str) -> int | None:
    """How closely ``row`` matches ``query``: 0 (its own term) to 5 (inside a word); None."""
    compact = query.replace(" ", "")
    tests = (
        lambda t: t == query,
        lambda t: f" {query}" in f" {t}",
        lambda t: compact in t.replace(" ", ""),
    )
    own, other = _texts(row)
    for level, test in enumerate(tests):
        for group, texts in enumerate((own, other)):
            if any(test(t) for t in texts):
                return 2 * level + group
    return None


def find(word: str, rows: Sequence[Row] = ROWS) -> list[Row]:
    """The rows that match ``word`` in Spanish or English, closest first.

    Args:
        word: a term, a synonym, a recipe key, a code name or an author, in
            either language; case and accents do not matter.
        rows: the table to search (default: :data:`ROWS`).

    Raises:
        ConfigError: when ``word`` has no letter or digit.

    Example:
        >>> [row.variant for row in find("ruido") if row.section == "regularizacion"]
        ['input-noise', 'label-flip', 'weight-noise']
    """
    query = fold(word)
    if not query:
        raise ConfigError(f"search word {word!r}: expected letters or digits, e.g. dropout")
    ranked = sorted((r, i) for i, row in enumerate(rows) if (r := _rank(row, query)) is not None)
    if ranked and ranked[0][0] < _INSIDE:  # matches at a word's start: drop those inside words
        ranked = [(r, i) for r, i in ranked if r < _INSIDE]
    return [rows[i] for _, i in ranked]


# -- the Markdown page ------------------------------------------------------------------------
_MD_COLUMNS = ("lecture (es)", "English", "switch it on", "code", "paper", "study", "status")
_REGENERATE = "python -m trainlab.config.catalogue docs/lecture.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _codes(items: Sequence[str]) -> str:
    return "<br>".join(f"`{item}`" for item in items) or "—"


def _md_row(row: Row) -> str:
    mark = "" if row.lecture else " †"
    paper = f"{row.paper.authors} ({row.paper.year}), *{row.paper.title}*" if row.paper else "—"
    study = f"`{row.study}`" + (f" (`{row.variant}`)" if row.variant else "") if row.study else "—"
    status = f"planned: {row.missing}" if row.status == "planned" else "built"
    setting = [*(row.sets or row.keys), *([row.command] if row.command else [])]
    term = f"{row.spanish}{mark}<br>*{row.topic}*"
    cells = (term, row.english, _codes(setting), _codes(row.symbols), paper, study, status)
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render_markdown(rows: Sequence[Row] = ROWS) -> str:
    """The catalogue as a Markdown page (``docs/lecture.md``), one table per lecture section.

    Example:
        >>> from trainlab.config.catalogue import render_markdown
        >>> page = render_markdown()
        >>> page.startswith("# "), "| paro temprano<br>*Paro temprano* | early stopping |" in page
        (True, True)
    """
    built = sum(row.status == "built" for row in rows)
    lines = [
        "# The lecture's strategies, in Spanish and English",
        "",
        f"<!-- generated from src/trainlab/config/catalogue.py by `{_REGENERATE}`;"
        " edit the table there, not this page -->",
        "",
        "Every strategy of the lecture *Estrategias de entrenamiento* (Berenice y Ricardo",
        "Montalvo Lezama, UNAM, 2021) under the lecture's own Spanish term, with its English",
        "name, the `--set` that switches it on, the code, the paper and the built-in study that",
        "shows it. `trainlab strategies` prints this table; `trainlab strategies WORD` finds a",
        "strategy by any of its names, in either language, with or without accents. † marks a",
        "strategy built beyond the lecture (its Spanish name is ours).",
        "",
        f"{len(rows)} strategies: {built} built, {len(rows) - built} planned.",
    ]
    for part in SECTIONS:
        mine = [row for row in rows if row.section == part.key]
        if mine:
            lines += ["", f"## {part.spanish} — {part.english}", ""]
            lines += ["| " + " | ".join(_MD_COLUMNS) + " |", "|---" * len(_MD_COLUMNS) + "|"]
            lines += [_md_row(row) for row in mine]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m trainlab.config.catalogue [OUT]``: write the Markdown page (atomically)."""
    parser = argparse.ArgumentParser(
        prog="python -m trainlab.config.catalogue", description="Write the strategy catalogue."
    )
    parser.add_argument("out", nargs="?", default="docs/lecture.md", help="the Markdown file")
    path = write_text_atomic(parser.parse_args(argv).out, render_markdown())
    print(f"wrote {path} ({len(ROWS)} strategies)")


if __name__ == "__main__":
    main()
