"""Every sentence of a diagnosis comes from one table of message ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainlab.engine.diagnose import VERDICTS
from trainlab.engine.diagnose import budget as budget_module
from trainlab.engine.diagnose import findings as findings_module
from trainlab.engine.diagnose import fit_rules as fit_rules_module
from trainlab.engine.diagnose import remedies as remedies_module
from trainlab.engine.diagnose import rules as rules_module
from trainlab.engine.diagnose import wording as wording_module
from trainlab.engine.diagnose.messages import MESSAGES, VERDICT_NAMES, points, pts, text
from trainlab.engine.diagnose.remedies import REMEDIES


def test_point_formatting_has_no_negative_zero():
    assert pts(-0.0001) == "0" and pts(-0.086) == "−8.6" and points(-0.01) == "−1 point"


def test_every_verdict_has_a_name():
    assert set(VERDICT_NAMES) == set(VERDICTS)


def test_every_remedy_id_has_a_text_naming_a_recipe_key():
    for ids in REMEDIES.values():
        for i in ids:
            assert i in MESSAGES
            assert i == "remedy.more_data" or i == "remedy.multitask" or "`" in text(i)


def test_every_message_is_used_by_the_rules_the_findings_or_the_remedies():
    modules = (
        rules_module,
        fit_rules_module,
        wording_module,
        findings_module,
        remedies_module,
        budget_module,
    )
    source = "\n".join(Path(m.__file__).read_text() for m in modules)
    used = set(re.findall(r'"([a-z_]+(?:\.[a-z0-9_]+)+)"', source))
    patterns = [
        p.replace("{", "(?:").replace("}", ")") for p in re.findall(r'f"([a-z_.{}]+)"', source)
    ]
    wildcards = [re.compile(re.sub(r"\(\?:[a-z_.]+\)", "[a-z_]+", p) + "$") for p in patterns]
    used |= {i for ids in REMEDIES.values() for i in ids}
    for key in MESSAGES:
        assert key in used or any(w.match(key) for w in wildcards), key


def test_unknown_ids_and_missing_fields_fail():
    with pytest.raises(KeyError):
        text("no.such.message")
    with pytest.raises(KeyError):
        text("good_fit.train_acc")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_counts_agree_with_their_nouns_in_every_message(lang):
    """No message says "1 epochs" / "1 épocas", whatever its counts."""
    from string import Formatter

    for key in MESSAGES:
        template = text.__globals__["_tables"](lang)[0].get(key)
        if template is None or key.endswith("_other"):  # the plural of a unit pair
            continue
        names = {f for _, f, _, _ in Formatter().parse(template) if f}
        fields = {n: 1 for n in names}
        try:
            worded = text(key, lang, **fields)
        except (ValueError, KeyError, TypeError):
            continue  # a field that is not a count (a percent format, a message)
        assert not re.search(r"\b1 (epochs|épocas|times|veces)\b", worded), (key, worded)
