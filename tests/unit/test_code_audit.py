"""The code audit: bandit over our code finds nothing beyond the reasoned exceptions in
pyproject.toml ([tool.bandit]) and the inline ``# nosec`` markers, which each say why."""

from __future__ import annotations

import shutil
import subprocess  # nosec B404
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_bandit_finds_no_unreasoned_issue():
    if shutil.which("bandit", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("bandit is not installed in this environment (it is in the [test] extra)")
    done = subprocess.run(  # nosec B603
        [
            str(Path(sys.executable).parent / "bandit"),
            "-q",
            "-c",
            "pyproject.toml",
            "-r",
            "zorgtafel",
            "services",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
