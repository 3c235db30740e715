"""``trainlab.report``'s public names load on first use, and a formatting module stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import trainlab
import trainlab.report as report


def test_every_public_name_resolves_from_its_module():
    listed = sorted(name for names in report._MODULES.values() for name in names)
    assert listed == sorted(report.__all__)
    for name in report.__all__:
        assert callable(getattr(report, name)), name
    assert set(report.__all__) <= set(dir(report))


def test_a_formatting_module_imports_no_figures():
    code = (
        "import sys, trainlab.report.format; "
        "print(','.join(m for m in ('torch', 'matplotlib') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(trainlab.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
