"""A safety override over real gRPC (SQLite and PostgreSQL) leaves an access-log record that
keeps its decision's input for replay (issue #17) with the free text only as digests: the
justification and the account of the client's informing never reach the log; replayed under
the revision that decided it, the input gives the same decision."""

from __future__ import annotations

import uuid

from tests.integration.disclosure.conftest import CELLO
from tests.integration.disclosure.test_override_notices import consent_item, override
from zorgtafel.kernel.accesslog import inputs
from zorgtafel.policy.decision import digest_of
from zorgtafel.policy.replay import Revisions, recorded, replay


def test_a_break_glass_record_keeps_its_input_with_the_free_text_as_digests(env):
    _, item = consent_item(env)
    secret = f"the trafficker was seen at the door {uuid.uuid4().hex[:8]}"
    told = f"told the client at her sister's {uuid.uuid4().hex[:8]}"
    released = override(env, item, justification=secret, client_informed=told).items[0]
    with env.app.uow_factory() as uow:
        [record] = uow.access_log.of_decision(released.decision_id)
    kept = record["decision_input"]
    assert secret not in kept and told not in kept
    policy, value = inputs.parse(kept)
    assert policy == "zorgtafel.disclosure"
    assert value["break_glass"]["justification"] == digest_of(secret)
    assert value["break_glass"]["client_informed"] == digest_of(told)
    assert value["item"]["id"] == item and value["requester"]["party"] == CELLO
    assert record["result"] == "break_glass" and len(record["input_digest"]) == 64
    with env.app.uow_factory() as uow:
        assert uow.access_log.verify(env.app.access_log.keys).intact

    revisions = Revisions(dirs=[env.app.settings.policy_dir])
    try:
        again = replay(revisions, recorded("disclosure", record))
    finally:
        revisions.close()
    assert again.allow and not again.changed
    assert again.revision == record["policy_revision"]
