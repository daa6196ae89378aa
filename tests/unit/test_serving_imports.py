"""What a serving process loads (issue #16: peak RSS <= 150 MB per service): the modules
``zorgtafel serve`` imports for a service on PostgreSQL, in a fresh interpreter. A module only
the local SQLite database, the migrations or the tests need costs every serving process its
memory."""

from __future__ import annotations

import subprocess
import sys

import pytest

from zorgtafel.kernel.config import SERVICES

# Not in a service on PostgreSQL: sqlite3 (libsqlite3, ~1 MB), Alembic and Mako (~10 MB, the
# migrations run in a forked child), the test harness and its hypothesis.
NEVER_SERVED = ("sqlite3", "alembic", "mako", "zorgtafel.testing", "hypothesis", "pytest")


@pytest.mark.parametrize("service", SERVICES)
def test_serving_a_service_loads_no_module_only_sqlite_migrations_or_tests_need(service):
    code = (
        "import sys\n"
        "from zorgtafel.kernel.bootstrap import bootstrap\n"
        "from zorgtafel.kernel.registry import definition\n"
        f"definition({service!r})\n"
        f"never = {NEVER_SERVED!r}\n"
        "print(sorted(n for n in sys.modules\n"
        "             if any(n.startswith(m + '.') or n == m for m in never)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"{service} loads {done.stdout.strip()}"


def test_a_service_with_its_policies_from_the_directory_loads_no_tar_reader():
    # tarfile (~0.5 MB per process) reads and writes OPA bundles: a service that loads its
    # policies from the bundle service (policy_bundle_url) and `zorgtafel policy bundle` need
    # it; the embedded engine on the policy directory (the suite's default) only hashes files.
    code = (
        "import sys\n"
        "from zorgtafel.policy import bundle, embedded, sources\n"
        "bundle.revision_of(sources.default_policy_dir())\n"
        "print('tarfile' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
