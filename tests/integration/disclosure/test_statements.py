"""One audited RequestDisclosure through gRPC takes the same few SQL statements however many
items it asks for and however many cases they belong to (issue #16): its facts read in two
(the items with their cases, keys and the requester's roster functions; the consents), its
decisions logged in the group commit's batch (on PostgreSQL the head's move with its signed
checkpoint, the records, the outbox rows). Counted in the service's own threads that serve the
call: its gRPC worker and the access log's committer."""

from __future__ import annotations

from tests.integration.disclosure.conftest import CELLO, provide, request
from zorgtafel.testing.statements import statements

SERVING = ("disclosure-grpc", "accesslog-")  # the call's worker and the log's committer


def test_one_audited_disclosure_takes_the_same_statements_for_one_item_or_six_of_two_cases(env):
    case_a, _ = env.open_case()
    case_b, _ = env.open_case()
    of_a = [provide(env, case_a) for _ in range(3)]
    of_b = [provide(env, case_b) for _ in range(3)]
    request(env, CELLO, of_a[:1])  # warm: the committer knows the head it left
    with statements(SERVING) as one:
        assert len(request(env, CELLO, of_a[:1]).items) == 1
    with statements(SERVING) as six:
        assert len(request(env, CELLO, of_a + of_b).items) == 6
    postgresql = env.app.engine.dialect.name == "postgresql"
    most = 5 if postgresql else 6  # SQLite: the head's move and its checkpoint apart
    # At least the facts' two reads: a count of none would be threads counted by no one.
    assert 2 <= len(six) == len(one) <= most, six
