"""What a non-editable install (the container image) ships: setuptools packages only folders
with an __init__.py, and package data only inside packages. A seed file or a migration outside
a package would be missing in production while every editable test run still passes."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ("*.py", "*.json", "*.mako", "*.csv")


@pytest.mark.parametrize("top", ["zorgtafel", "services"])
def test_every_folder_with_code_or_data_is_a_package(top):
    missing = []
    for folder in [REPO / top, *(p for p in (REPO / top).rglob("*") if p.is_dir())]:
        if folder.name == "__pycache__":
            continue
        if (
            any(any(folder.glob(pattern)) for pattern in SHIPPED)
            and not (folder / "__init__.py").exists()
        ):
            missing.append(str(folder.relative_to(REPO)))
    assert not missing, f"not shipped by a wheel (no __init__.py): {missing}"


def test_importing_zorgtafel_loads_regopy_before_grpc_can_be_loaded():
    """regopy's bundled allocator must come before libstdc++ users such as grpc, or every
    policy query leaks (~1.4 MB a decision: the matrix alone grew a test process to 5 GB)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import zorgtafel.kernel.bootstrap\n"
        "names = list(sys.modules)\n"
        "assert 'regopy' in names and 'grpc' in names\n"
        "assert names.index('regopy') < names.index('grpc'), 'grpc was loaded before regopy'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
