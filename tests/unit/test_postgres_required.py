"""`make test` requires the test PostgreSQL: one that does not answer fails the run at once
(tests/conftest.py); outside it a PostgreSQL variant skips and says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from zorgtafel.kernel.broker import free_port

ROOT = Path(__file__).resolve().parents[2]
TINY = """
def test_on_postgresql(pg_url):
    assert pg_url
"""


def run_tiny(tmp_path: Path, required: bool) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_tiny.py").write_text(TINY)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "ZORGTAFEL_"))}
    # Nothing listens on a port just found free: the connection is refused at once.
    env["ZORGTAFEL_TEST_DATABASE_URL"] = (
        f"postgresql+psycopg://postgres:sekrit-pw@127.0.0.1:{free_port()}/test"
    )
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    if required:
        env["ZORGTAFEL_REQUIRE_TEST_TOOLS"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.conftest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rs",
            "-p",
            "no:xdist",
            str(tmp_path / "test_tiny.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_under_make_test_a_postgresql_that_does_not_answer_fails_the_run(tmp_path):
    run = run_tiny(tmp_path, required=True)
    out = run.stdout + run.stderr
    assert run.returncode != 0, out
    assert "passed" not in out and "skipped" not in out, out
    assert "postgresql+psycopg://postgres@127.0.0.1:" in out, out
    assert "psycopg.OperationalError" in out, out
    assert "sekrit-pw" not in out, out


def test_outside_make_test_it_skips_with_the_reason(tmp_path):
    run = run_tiny(tmp_path, required=False)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "1 skipped" in out, out
    assert "psycopg.OperationalError" in out, out
    assert "sekrit-pw" not in out, out
