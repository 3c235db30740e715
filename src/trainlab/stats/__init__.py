"""Statistics for comparing strategies: intervals, paired tests, corrections, power, spending.

``paired`` (intervals and paired tests), ``multiplicity`` (family-wise p-value
corrections), ``power`` (detectable effects, seeds needed), ``sequential``
(alpha spending over looks), ``compare`` (a study's verdicts and ranks),
``transferability`` (Yosinski et al.'s transfer study).
"""
