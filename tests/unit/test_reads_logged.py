"""Every RPC that lets data out is a declared read of its service, so the kernel logs each call
in the service's access log before the reply leaves (issue #15): a read added later without a
declaration fails here, not in an audit."""

from __future__ import annotations

import pytest

from zorgtafel.generated.casework.v1 import casework_pb2
from zorgtafel.generated.disclosure.v1 import disclosure_pb2
from zorgtafel.generated.governance.v1 import governance_pb2
from zorgtafel.generated.intake.v1 import intake_pb2
from zorgtafel.testing.handlers import handler_platform

DESCRIPTORS = {
    "intake": intake_pb2.DESCRIPTOR,
    "casework": casework_pb2.DESCRIPTOR,
    "governance": governance_pb2.DESCRIPTOR,
    "disclosure": disclosure_pb2.DESCRIPTOR,
}
READ_PREFIXES = ("Get", "List", "Watch", "Export")
ALSO_READS = {"AccessLog", "SubjectAccessReport", "AnnualReport"}
# Logged otherwise, with a reason each:
NOT_KERNEL_LOGGED = {
    # every released or refused item is its own record, written by the handler with the
    # decision of the item (log_decisions)
    ("disclosure", "RequestDisclosure"),
    ("disclosure", "BreakGlass"),
    # sizes, roots and a record's number: no personal data, and it must still answer when the
    # log is damaged and takes no appends
    ("disclosure", "VerifyLog"),
}


def _methods(service: str) -> set[str]:
    return {m.name for s in DESCRIPTORS[service].services_by_name.values() for m in s.methods}


@pytest.mark.parametrize("service", sorted(DESCRIPTORS))
def test_every_read_rpc_of_every_service_is_logged_by_the_kernel(service, tmp_path):
    with handler_platform(service, tmp_path) as (_platform, parts):
        declared = set(parts.reads)
    methods = _methods(service)
    reads = {
        m
        for m in methods
        if (m.startswith(READ_PREFIXES) or m in ALSO_READS)
        and (service, m) not in NOT_KERNEL_LOGGED
    }
    assert reads - declared == set(), f"{service}: reads not declared"
    assert declared - methods == set(), f"{service}: declared reads that are no RPC"
    assert not {m for s, m in NOT_KERNEL_LOGGED if s == service} & declared
