"""Issue #14: the register of processing activities maintained by the privacy officers over
gRPC (add, change, retire, with history: who, when, what changed), exported as before; only a
privacy officer of a party that maintains an activity changes it. On SQLite and PostgreSQL
(the package's ``env`` runs on both)."""

from __future__ import annotations

import json
import uuid

import grpc
import pytest

from tests.integration.disclosure.conftest import CELLO, GGZ, denial, field_violations, reasons_of
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb

pytestmark = pytest.mark.integration

HELMOND = "00000099000000000018"  # Gemeente Helmond: maintains the seeded entries (art. 17.3)
FG = (HELMOND, "privacy_officer", "fg-helmond")
OTHER_FG = (CELLO, "privacy_officer", "fg-cello")


def rid() -> str:
    return f"req-{uuid.uuid4()}"


def activity(activity_id: str, maintainers: list[str], **changes) -> pb.ProcessingActivity:
    fields = {
        "id": activity_id,
        "name": "Signalling trafficking to the police",
        "controller": "The signalling party",
        "purpose": "Reporting presumed trafficking (art. 2)",
        "subject_categories": ["presumed victims"],
        "data_categories": ["pseudonym", "signal code"],
        "recipients": ["the police"],
        "legal_basis": "GDPR art. 6(1)(c)",
        "transfers_outside_eea": "none",
        "retention": "one year (project choice)",
        "maintainers": maintainers,
    }
    fields.update(changes)
    return pb.ProcessingActivity(**fields)


def maintainer(env):
    env.register_parties([HELMOND])  # the seeded entries' maintainer, known to disclosure
    return env


def history(env, activity_id: str):
    return env.stub.ListProcessingActivityHistory(
        pb.ListProcessingActivityHistoryRequest(activity_id=activity_id), metadata=env.md(*FG)
    ).changes


def test_the_seeded_register_is_listed_with_its_maintainers_and_seeding_history(env):
    fg = maintainer(env)
    listed = {
        a.id: a
        for a in fg.stub.ListProcessingActivities(
            pb.ListProcessingActivitiesRequest(), metadata=fg.md(CELLO)
        ).activities
    }
    assert {"ZT-VA-01", "ZT-VA-03"} <= set(listed)  # (others may be changed by other flows)
    assert HELMOND in listed["ZT-VA-01"].maintainers
    # ZT-VA-01 now says what intake does: the identity is held, encrypted, not pseudonymised.
    assert any("encrypted" in d for d in listed["ZT-VA-01"].data_categories)
    seeded = history(fg, "ZT-VA-01")
    assert seeded and seeded[-1].change == "seeded" and seeded[-1].version == "1"
    every = fg.stub.ListProcessingActivityHistory(
        pb.ListProcessingActivityHistoryRequest(page_size=500), metadata=fg.md(*FG)
    ).changes
    assert {c.activity_id for c in every if c.change == "seeded"} == {
        f"ZT-VA-0{n}" for n in range(1, 7)
    }


def test_add_change_retire_with_history_and_export(env):
    fg = maintainer(env)
    aid = f"ZT-T{uuid.uuid4().hex[:6].upper()}-01"
    added = fg.stub.AddProcessingActivity(
        pb.AddProcessingActivityRequest(
            request_id=rid(), activity=activity(aid, [HELMOND]), reason="new signalling"
        ),
        metadata=fg.md(*FG),
    ).activity
    assert (added.id, added.version, list(added.maintainers)) == (aid, "1", [HELMOND])

    changed = fg.stub.ChangeProcessingActivity(
        pb.ChangeProcessingActivityRequest(
            request_id=rid(),
            activity=activity(aid, [HELMOND, CELLO], retention="two years (project choice)"),
            expected_version="1",
            reason="retention agreed in the steering group",
        ),
        metadata=fg.md(*FG),
    ).activity
    assert changed.version == "2" and changed.retention == "two years (project choice)"

    exported = json.loads(
        fg.stub.ExportRegister(
            pb.ExportRegisterRequest(register=pb.REGISTER_PROCESSING), metadata=fg.md(*FG)
        ).document
    )
    entry = next(a for a in exported["activities"] if a["id"] == aid)
    assert entry["version"] == "2" and entry["retention"] == "two years (project choice)"

    # A stale change (made against version 1) is refused: the register does not lose an edit.
    code, _ = denial(
        lambda: fg.stub.ChangeProcessingActivity(
            pb.ChangeProcessingActivityRequest(
                request_id=rid(),
                activity=activity(aid, [HELMOND], name="renamed"),
                expected_version="1",
                reason="stale",
            ),
            metadata=fg.md(*FG),
        )
    )
    assert code == grpc.StatusCode.FAILED_PRECONDITION

    retired = fg.stub.RetireProcessingActivity(
        pb.RetireProcessingActivityRequest(
            request_id=rid(), activity_id=aid, reason="no longer done"
        ),
        metadata=fg.md(*OTHER_FG),  # CELLO maintains it since the change
    ).activity
    assert retired.version == "3" and retired.HasField("retired_at")
    listed = fg.stub.ListProcessingActivities(
        pb.ListProcessingActivitiesRequest(), metadata=fg.md(CELLO)
    ).activities
    assert aid not in {a.id for a in listed}

    changes = history(fg, aid)
    assert [(c.change, c.version, c.party, c.person) for c in changes] == [
        ("retired", "3", CELLO, "fg-cello"),
        ("changed", "2", HELMOND, "fg-helmond"),
        ("added", "1", HELMOND, "fg-helmond"),
    ]
    assert list(changes[1].changed_fields) == ["retention", "maintainers"]
    assert changes[1].reason == "retention agreed in the steering group"
    assert changes[1].activity.retention == "two years (project choice)"
    assert all(c.HasField("changed_at") for c in changes)


def test_only_a_maintainers_privacy_officer_changes_an_activity(env):
    fg = maintainer(env)
    seeded = next(
        a
        for a in fg.stub.ListProcessingActivities(
            pb.ListProcessingActivitiesRequest(), metadata=fg.md(CELLO)
        ).activities
        if a.id == "ZT-VA-05"
    )
    proposal = pb.ProcessingActivity()
    proposal.CopyFrom(seeded)
    proposal.retention = "forever"
    proposal.ClearField("retired_at")
    code, info = denial(
        lambda: fg.stub.ChangeProcessingActivity(
            pb.ChangeProcessingActivityRequest(
                request_id=rid(), activity=proposal, reason="not ours"
            ),
            metadata=fg.md(*OTHER_FG),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "does not maintain" in reasons_of(info)
    # A caseworker of a maintaining party is refused by the authorisation table.
    code, _ = denial(
        lambda: fg.stub.ChangeProcessingActivity(
            pb.ChangeProcessingActivityRequest(
                request_id=rid(), activity=proposal, reason="not an FG"
            ),
            metadata=fg.md(HELMOND),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    # Adding an activity the caller's party would not maintain is refused too.
    code, _ = denial(
        lambda: fg.stub.AddProcessingActivity(
            pb.AddProcessingActivityRequest(request_id=rid(), activity=activity("ZT-X-99", [GGZ])),
            metadata=fg.md(*OTHER_FG),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_register_input_is_validated_naming_the_field(env):
    fg = maintainer(env)
    bad = activity("ZT-Y-01", [HELMOND], purpose="")
    assert field_violations(
        lambda: fg.stub.AddProcessingActivity(
            pb.AddProcessingActivityRequest(request_id=rid(), activity=bad), metadata=fg.md(*FG)
        )
    ) == ["activity.purpose"]
    assert field_violations(
        lambda: fg.stub.AddProcessingActivity(
            pb.AddProcessingActivityRequest(
                request_id=rid(), activity=activity("not an id", [HELMOND])
            ),
            metadata=fg.md(*FG),
        )
    ) == ["activity.id"]
    assert field_violations(
        lambda: fg.stub.AddProcessingActivity(
            pb.AddProcessingActivityRequest(
                request_id=rid(), activity=activity("ZT-Y-02", ["not-an-oin"])
            ),
            metadata=fg.md(*FG),
        )
    ) == ["activity.maintainers"]
    assert field_violations(
        lambda: fg.stub.RetireProcessingActivity(
            pb.RetireProcessingActivityRequest(request_id=rid(), activity_id="ZT-Y-03"),
            metadata=fg.md(*FG),
        )
    ) == ["reason"]
