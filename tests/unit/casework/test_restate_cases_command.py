"""``zorgtafel restate-cases`` when casework's database is out of reach: it says so by the
error's type (no URL, no traceback on stdout), how far it came, and exits 1 (run it again)."""

from __future__ import annotations

import json
import sys

from zorgtafel.cli import main
from zorgtafel.kernel.logging import configure_logging


def test_a_database_out_of_reach_is_reported_by_its_type_and_exit_1(tmp_path, monkeypatch, capsys):
    from zorgtafel.kernel.broker import free_port

    url = f"postgresql+psycopg://nobody:secret-pw@127.0.0.1:{free_port()}/none"
    monkeypatch.setenv("ZORGTAFEL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZORGTAFEL_DATABASE_URL", url)
    try:
        assert main(["restate-cases", "--operator", "beheerder-7"]) == 1
    finally:  # it logs to pytest's capture, closed after this test: back to the process's own
        configure_logging("INFO", stream=sys.__stderr__)
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["service"] == "casework" and report["restated"] == 0
    assert report["error"] and report["case_ids"] == []
    assert "secret-pw" not in out


def test_restate_cases_names_its_operator_or_does_nothing(tmp_path, monkeypatch, capsys):
    """The command publishes facts that grant access (8.4c): it is recorded in casework's
    access log with who ran it, so it is refused (exit 2, before any database is touched)
    without an operator's id or with one that is not an id, whose value it does not repeat."""
    import pytest

    monkeypatch.setenv("ZORGTAFEL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZORGTAFEL_DATABASE_URL", f"sqlite:///{tmp_path}/untouched.db")
    for args in (
        [],
        ["--operator", ""],
        ["--operator", "Jan de Vries"],
        ["--operator", "x" * 129],
        ["--operator", "beheerder-7", "--party", "Lumens"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(["restate-cases", *args])
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert "--operator" in err or "--party" in err
        assert "Jan de Vries" not in err and "Lumens" not in err
    assert not (tmp_path / "untouched.db").exists()
