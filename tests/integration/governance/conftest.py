"""One governance service per database variant for this package's tests (module scope keeps
the broker's consumer-group assignment and the seeding to once per variant)."""

from __future__ import annotations

import pytest

from tests.integration.governance.harness import Board, Council
from zorgtafel.testing import Keys, running_service


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def gov_env(request, broker, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    data_dir = tmp_path_factory.mktemp(f"gov-{request.param}")
    keys = Keys(data_dir)
    with running_service("governance", data_dir, broker.bootstrap, url,
                         extra={"withdrawal_tick_s": "0.3"}) as app:
        yield app, keys, Board(app, keys), Council(app, keys), data_dir, url
