"""A study's comparisons: each variant against its reference, summarized from its trials.

The pure statistics of a study over its spec, without PyTorch or the report:
:func:`references` (compared variant → its reference) and
:func:`summarize_study` (:func:`trainlab.stats.compare.summarize` with the
study's references, metric, direction, correction and alpha; a spec that names
no metric has its task's chosen first, see :mod:`~trainlab.workflows.study.metric`,
which prepares the base recipe's data). The report's
results (:mod:`~trainlab.workflows.study.results`), the adaptive looks and the
seed advice all read a study through them, so that they agree.

Example:
    >>> from trainlab.workflows.study.spec import StudySpec
    >>> from trainlab.workflows.study.comparisons import references
    >>> spec = StudySpec.from_dict({"name": "c", "base": "wine-mlp",
    ...     "variants": {"baseline": {}, "l2": {"regularization.l2": 0.01}}})
    >>> references(spec)
    {'l2': 'baseline'}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from trainlab.stats.compare import TrialLike, VariantSummary, summarize

if TYPE_CHECKING:
    from trainlab.workflows.study.spec import StudySpec


def references(study: StudySpec) -> dict[str, str]:
    """Compared variant → the variant it is compared with (references themselves left out:
    the baseline, and a variant that is its own reference)."""
    out: dict[str, str] = {}
    for v in study.variants:
        ref = study.against(v.name)
        if ref is not None and ref != v.name:
            out[v.name] = ref
    return out


def summarize_study(
    spec: StudySpec,
    trials: Sequence[TrialLike],
    *,
    correction: str | None = None,
    alpha: float | None = None,
) -> list[VariantSummary]:
    """One ``VariantSummary`` per variant, each against its own reference variant, the
    p-values corrected together (``correction``, default the study's) at level ``alpha``
    (default the study's)."""
    if spec.metric is None or spec.higher_is_better is None:
        from trainlab.workflows.study.metric import resolve_metric

        spec = resolve_metric(spec)
    # a variant that is its own reference is named too (``summarize`` makes it a reference)
    against = {v.name: ref for v in spec.variants if (ref := spec.against(v.name)) is not None}
    return summarize(
        trials,
        metric=spec.metric,
        baseline=spec.baseline,
        higher_is_better=spec.higher_is_better,
        variants_order=[v.name for v in spec.variants],
        against=against,
        correction=correction or spec.correction,
        alpha=alpha if alpha is not None else spec.alpha,
    )
