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
