"""A service whose start steps lose their database connection (the e2e fault test ends every
connection of the suite while a killed service starts again) runs the step again instead of
exiting: the access log's head and checkpoint, as the service's own hooks (twice in one CI
run, disclosure exited with status 1 at the access log's checkpoint COMMIT)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from zorgtafel.kernel import bootstrap
from zorgtafel.kernel.accesslog.service import ServiceAccessLog
from zorgtafel.testing import running_service

pytestmark = pytest.mark.integration


class _ServerGoing(Exception):
    sqlstate = "57P01"  # admin_shutdown: pg_terminate_backend


def test_a_service_whose_access_log_start_lost_its_connection_starts(broker, data_dir, monkeypatch):
    monkeypatch.setattr(bootstrap, "START_RETRY_S", 0.0)
    start = ServiceAccessLog.start
    calls: list[int] = []

    def dropped_once(self: ServiceAccessLog) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("COMMIT", {}, _ServerGoing())
        start(self)

    monkeypatch.setattr(ServiceAccessLog, "start", dropped_once)
    with running_service("governance", data_dir, broker.bootstrap) as app:
        assert app.grpc_port
    assert len(calls) == 2
