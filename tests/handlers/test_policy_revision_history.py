"""The history of the policy revisions in force (issue #19): newest first, every adoption and
rollback and the release's baseline, each with its bundle's digest and the decision behind it;
the instances that enforce a revision on its newest entry only; paged by entry in a constant
number of queries that never read the bundles."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

import pytest

from services.governance.bootstrap import make_deps
from services.governance.domain.policy import PolicyRevision
from services.governance.entrypoints.grpc_api import GovernanceServicer
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.testing import handler_platform
from zorgtafel.testing.statements import call, statements

HELMOND = "00000099000000000018"
T0 = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)
READER = Caller("00000099000000000038", "delegate-1", "council_delegate", party_status="active")
# A statement that reads the bundles themselves (not their digests).
READS_BUNDLE = re.compile(r"policy_revisions\.bundle\b(?!_)")


def adopt(uow, revision: str, n: int) -> PolicyRevision:
    entry = PolicyRevision(
        revision,
        f"2026.{n}",
        f"prop-{n:032x}",
        f"dec-{n:032x}",
        f"bundle {revision}".encode(),
        T0 + timedelta(hours=n),
        HELMOND,
    )
    uow.policies.add(entry)
    return entry


def walk(servicer, size: int) -> list[pb.PolicyRevisionEntry]:
    entries, token = [], ""
    while True:
        reply = call(
            servicer.ListPolicyRevisions,
            pb.ListPolicyRevisionsRequest(page_size=size, page_token=token),
            READER,
        )
        entries += list(reply.revisions)
        token = reply.next_page_token
        if not token:
            return entries


def test_the_history_lists_adoptions_and_rollbacks_newest_first_with_who_enforces_them(
    data_dir, database_url
):
    with handler_platform("governance", data_dir, database_url) as (platform, _):
        servicer = GovernanceServicer(platform.uow_factory, make_deps(platform))
        with platform.uow_factory() as uow:
            baseline = uow.policies.latest()
            adopt(uow, "sha256:a", 1)
            adopt(uow, "sha256:b", 2)
            adopt(uow, "sha256:a", 3)  # a rollback to a: a new entry
            uow.policies.record_enforced("intake", "intake-0", "sha256:a", T0)
            uow.policies.record_enforced("casework", "casework-0", "sha256:b", T0)
            uow.policies.record_enforced("disclosure", "disclosure-0", "sha256:zzz", T0)
            uow.commit()
        assert baseline is not None and baseline.baseline

        entries = walk(servicer, 1)
        assert entries == walk(servicer, 500)  # the same history, however it is paged
        shown = [(e.revision.revision, e.revision.work_process_version) for e in entries]
        assert shown == [
            ("sha256:a", "2026.3"),
            ("sha256:b", "2026.2"),
            ("sha256:a", "2026.1"),
            (baseline.revision, "baseline"),
        ]
        assert [e.in_force for e in entries] == [True, False, False, False]
        newest = entries[0].revision
        assert newest.bundle_digest == "sha256:" + hashlib.sha256(b"bundle sha256:a").hexdigest()
        assert (newest.proposal_id, newest.decision_id) == (f"prop-{3:032x}", f"dec-{3:032x}")
        assert newest.adopted_by_party == HELMOND and not newest.baseline
        assert entries[-1].revision.baseline and entries[-1].revision.bundle_digest
        # An instance's last report is on the newest entry of the revision it names.
        enforced = [[(x.service, x.instance) for x in e.enforced] for e in entries]
        assert enforced == [[("intake", "intake-0")], [("casework", "casework-0")], [], []]


def test_a_page_of_the_history_takes_two_queries_and_never_reads_a_bundle(data_dir, database_url):
    with handler_platform("governance", data_dir, database_url) as (platform, _):
        servicer = GovernanceServicer(platform.uow_factory, make_deps(platform))
        counts = []
        for more in (3, 40):
            with platform.uow_factory() as uow:
                for n in range(more):
                    adopt(uow, f"sha256:{more}-{n}", n)
                uow.commit()
            with statements() as sent:
                reply = call(
                    servicer.ListPolicyRevisions,
                    pb.ListPolicyRevisionsRequest(page_size=10),
                    READER,
                )
            counts.append(len(sent))
            assert not [s for s in sent if READS_BUNDLE.search(s)]
        assert counts[0] == counts[1] == 2
        assert len(reply.revisions) == 10 and reply.next_page_token


def test_a_malformed_page_of_the_history_is_refused_naming_the_field(data_dir):
    with handler_platform("governance", data_dir, "") as (platform, _):
        servicer = GovernanceServicer(platform.uow_factory, make_deps(platform))
        # Another query's token does not continue the history.
        parties = call(
            servicer.ListParties,
            pb.ListPartiesRequest(status=pb.PARTY_STATUS_ACTIVE, page_size=1),
            READER,
        )
        assert parties.next_page_token
        for fields, field in (
            ({"page_size": 501}, "page_size"),
            ({"page_size": -1}, "page_size"),
            ({"page_token": "not-a-token"}, "page_token"),
            ({"page_token": parties.next_page_token}, "page_token"),
        ):
            with pytest.raises(InvalidArgument) as err:
                call(
                    servicer.ListPolicyRevisions,
                    pb.ListPolicyRevisionsRequest(**fields),
                    READER,
                )
            assert [f for f, _ in err.value.violations] == [field], fields
