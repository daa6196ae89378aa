"""A failed migration names the error's type, never its text: a PostgreSQL error's message
holds the row's values (``DETAIL: Key (...)=(...)``) and SQLAlchemy adds the statement's
parameters; the init container's output goes to the cluster's logs."""

from __future__ import annotations

import pytest

from zorgtafel import cli
from zorgtafel.kernel import migrate

MARKER = "Jürgen Ødegård-Çelik"


class UniqueViolation(Exception):
    pass


def _failing_upgrade(*_args: object, **_kwargs: object) -> None:
    raise UniqueViolation(
        f"could not create unique index\nDETAIL:  Key (subject_name)=({MARKER}) is duplicated.\n"
        f"[parameters: ('{MARKER}', '1990-01-01')]"
    )


def test_a_failed_migration_says_its_error_type_and_never_the_rows_values(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZORGTAFEL_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(migrate, "upgrade", _failing_upgrade)
    with pytest.raises(SystemExit) as exited:
        cli.main(["migrate", "intake"])
    assert exited.value.code not in (0, None)
    out = capsys.readouterr()
    shown = f"{exited.value.code}\n{out.out}\n{out.err}"
    assert MARKER not in shown
    assert "UniqueViolation" in shown
