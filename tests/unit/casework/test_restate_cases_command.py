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
        assert main(["restate-cases"]) == 1
    finally:  # it logs to pytest's capture, closed after this test: back to the process's own
        configure_logging("INFO", stream=sys.__stderr__)
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["service"] == "casework" and report["restated"] == 0
    assert report["error"] and report["case_ids"] == []
    assert "secret-pw" not in out
