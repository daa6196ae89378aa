"""Governance keeps which policy revision each service instance enforces, as each reports it
on its own topic (issue #17): per instance, the newest report wins, a report that does not name a
service of the suite or a time with a zone is set aside."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from services.governance.service_layer.handlers.policy_revisions import enforced_revisions
from zorgtafel.contracts import events as ev
from zorgtafel.testing import deliver, handler_platform

T0 = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)


def said(service: str, instance: str, revision: str, at: datetime | str) -> dict:
    return {
        "service": service,
        "instance": instance,
        "revision": revision,
        "enforced_at": at if isinstance(at, str) else at.isoformat(),
    }


def test_the_newest_report_per_instance_wins_and_odd_reports_are_set_aside(data_dir, database_url):
    with handler_platform("governance", data_dir, database_url) as (platform, parts):

        def send(data: dict) -> None:
            deliver(platform, parts, ev.POLICY_REVISION_ENFORCED, data)

        send(said("intake", "intake-0", "sha256:new", T0 + timedelta(seconds=5)))
        send(said("intake", "intake-0", "sha256:old", T0))  # late, out of order: ignored
        send(said("intake", "intake-1", "sha256:old", T0))
        send(said("casework", "casework-0", "sha256:new", T0))
        send(said("nobody", "x-0", "sha256:new", T0))  # not a service of the suite
        send(said("disclosure", "disclosure-0", "sha256:new", "2026-12-02T10:00:00"))  # no zone
        with platform.uow_factory() as uow:
            listed = [(e.service, e.instance, e.revision) for e in enforced_revisions(uow)]
    assert listed == [
        ("casework", "casework-0", "sha256:new"),
        ("intake", "intake-0", "sha256:new"),
        ("intake", "intake-1", "sha256:old"),
    ]
