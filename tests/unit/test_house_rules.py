"""The house rules are enforced by tools, not by reading: import-linter's contracts (in
pyproject.toml) fail the build when a rule is broken. Shown here on a copy of the tree with one
deliberate violation per contract, so a contract that stopped checking anything would fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_tree(tmp_path: Path) -> Path:
    for name in ("services", "zorgtafel"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


VIOLATIONS = {
    "Domain code imports no framework": (
        "services/casework/domain/model.py",
        "import sqlalchemy  # deliberate violation\n",
    ),
    "Services are independent of each other": (
        "services/intake/domain/model.py",
        "import services.disclosure.domain.items  # deliberate violation\n",
    ),
    "The kernel, the policy layer and the contracts import no service": (
        "zorgtafel/kernel/errors.py",
        "import services.governance.domain  # deliberate\n",
    ),
    "Arrows point inward within each service": (
        "services/governance/domain/parties.py",
        "import services.governance.service_layer  # deliberate violation\n",
    ),
}


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_the_tree_keeps_every_import_contract(tmp_path):
    result = _lint(_copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
@pytest.mark.parametrize("contract", sorted(VIOLATIONS))
def test_a_deliberate_violation_breaks_the_build(tmp_path, contract):
    tree = _copy_tree(tmp_path)
    path, line = VIOLATIONS[contract]
    target = tree / path
    text = target.read_text()
    # After the module docstring and `from __future__` (which must stay first).
    anchor = "from __future__ import annotations\n"
    target.write_text(text.replace(anchor, anchor + line, 1) if anchor in text else line + text)
    result = _lint(tree)
    assert result.returncode != 0, f"{contract}: the violation went unnoticed"
    assert f"{contract} BROKEN" in result.stdout, result.stdout[-3000:]


def test_no_generated_example_is_timed():
    # A hypothesis deadline is a timed assertion: on a busy machine it fails correct code.
    from hypothesis import settings

    assert settings().deadline is None
