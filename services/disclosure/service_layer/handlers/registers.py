"""The registers of Bijlage 3: processing activities (the nine fields of GDPR art. 30, seeded
from data and maintained by the privacy officers, with history: issue #14) and data breaches
(GDPR art. 33(5)), readable and exportable as JSON."""

from __future__ import annotations

import json
import uuid
from typing import Any

from services.disclosure.adapters.registers import ProcessingActivityRepository
from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain import register as reg
from services.disclosure.domain.subject_rights import MAX_BREACH_TEXT, MAX_SUBJECTS_AFFECTED, Breach
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.uow import utcnow


def record_breach(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.RecordBreach, caller: Caller
) -> str:
    if cmd.detected_at is None:
        raise InvalidArgument("breach.detected_at", "required")
    validate.check_code(cmd.nature, "breach.nature")
    categories = validate.check_codes(
        cmd.data_categories, "breach.data_categories", duplicates="merge"
    )
    if not 0 <= cmd.subjects_affected <= MAX_SUBJECTS_AFFECTED:
        raise InvalidArgument("breach.subjects_affected", "must be 0 or more")
    case_ids = validate.check_list(
        cmd.case_ids, "breach.case_ids", validate.check_id, duplicates="merge"
    )
    consequences = validate.check_text(
        cmd.consequences, "breach.consequences", limit=MAX_BREACH_TEXT, required=False, strip=True
    )
    measures = validate.check_text(
        cmd.measures, "breach.measures", limit=MAX_BREACH_TEXT, strip=True
    )
    if cmd.reported_to_authority and cmd.reported_at is None:
        raise InvalidArgument("breach.reported_at", "required when reported to the authority")
    breach = Breach(
        breach_id=f"brc-{uuid.uuid4().hex}",
        detected_at=cmd.detected_at,
        recorded_at=utcnow(),
        recorded_by_party=caller.party,
        recorded_by_person=caller.person,
        nature=cmd.nature,
        data_categories=categories,
        subjects_affected=cmd.subjects_affected,
        case_ids=case_ids,
        consequences=consequences,
        measures=measures,
        reported_to_authority=cmd.reported_to_authority,
        reported_at=cmd.reported_at,
        subjects_informed=cmd.subjects_informed,
    )
    uow.breaches.add(breach)
    return breach.breach_id


def own_breaches(uow: DisclosureUnitOfWork, caller: Caller) -> list[Breach]:
    """Each controller keeps the register of its own breaches (Bijlage 3: "wij houden van alle
    datalekken een registratie bij"); another party's breaches, with their case ids, are not
    its oversight's business (ADR 0005: oversight is scoped to the controller). Oldest first;
    the party is applied in SQL, so another party's texts are never unsealed."""
    return uow.breaches.recorded_by(caller.party)


def list_breaches(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListBreaches, caller: Caller
) -> list[Breach]:
    """A page of the caller's party's own breaches (``own_breaches``), oldest first: the party
    and the page in SQL, and only the page's texts unsealed, so a page costs the same however
    many breaches the register holds."""
    return uow.breaches.page(recorded_by=caller.party, limit=cmd.limit, after=cmd.after)


def list_processing_activities(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListProcessingActivities, caller: Caller
) -> list[dict[str, Any]]:
    """A page of the current entries (a retired one only in the history), by id."""
    return ProcessingActivityRepository(uow.session).all(offset=cmd.offset, limit=cmd.limit)


def export_register(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ExportRegister, caller: Caller
) -> bytes:
    """The register as a JSON document."""
    if cmd.register == "processing":
        return json.dumps(
            {
                **deps.register.header(),
                "activities": [
                    {k: v for k, v in a.items() if k != "retired_at"}
                    for a in ProcessingActivityRepository(uow.session).all()
                ],
            },
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        ).encode()
    if cmd.register == "breaches":
        return json.dumps(
            {
                "register": "data breaches (GDPR art. 33(5), Bijlage 3)",
                "breaches": [b.to_json() for b in own_breaches(uow, caller)],
            },
            indent=2,
            sort_keys=True,
        ).encode()
    raise InvalidArgument("register", "required: REGISTER_PROCESSING or REGISTER_BREACHES")


# -- the register maintained by the privacy officers (Bijlage 3, GDPR art. 30; issue #14) ------
def _require_maintainer(
    deps: Deps, caller: Caller, activity_id: str, maintainers: list[str]
) -> None:
    deps.policy.require(
        reg.POLICY,
        {
            "operation": "maintain_register",
            "caller": {
                "party": caller.party,
                "person": caller.person,
                "role": caller.role,
                "party_status": caller.party_status,
            },
            "resource": {"activity_id": activity_id, "maintainers": sorted(maintainers)},
        },
    )


def add_processing_activity(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: reg.AddProcessingActivity, caller: Caller
) -> dict[str, Any]:
    """A new entry; the caller's party must be among its maintainers (it answers for it)."""
    activity_id = reg.check_activity_id(cmd.activity_id)
    fields, maintainers = reg.check_activity(cmd.fields, list(cmd.maintainers))
    reason = reg.check_reason(cmd.reason, required=False)
    _require_maintainer(deps, caller, activity_id, maintainers)
    repo = ProcessingActivityRepository(uow.session)
    if repo.find(activity_id) is not None:
        raise AlreadyExists("processing activity", activity_id)
    repo.add(activity_id, fields, maintainers)
    repo.record_change(
        activity_id, 1, "added", list(reg.NINE_FIELDS), caller.party, caller.person, reason
    )
    added = repo.find(activity_id)
    assert added is not None
    return added


def change_processing_activity(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: reg.ChangeProcessingActivity, caller: Caller
) -> dict[str, Any]:
    """A new version of an entry, by a privacy officer of a party that maintains it now."""
    activity_id = reg.check_activity_id(cmd.activity_id)
    fields, maintainers = reg.check_activity(cmd.fields, list(cmd.maintainers))
    reason = reg.check_reason(cmd.reason, required=True)
    repo = ProcessingActivityRepository(uow.session)
    current = repo.find(activity_id, for_update=True)
    if current is None:
        raise NotFound("processing activity", activity_id)
    _require_maintainer(deps, caller, activity_id, current["maintainers"])
    if current["retired_at"] is not None:
        raise FailedPrecondition("retired", "a retired activity is not changed", subject="activity")
    if cmd.expected_version and cmd.expected_version != current["version"]:
        raise FailedPrecondition(
            "changed", "the activity was changed meanwhile: read it again", subject="version"
        )
    changed = reg.changed_fields(current, fields, current["maintainers"], maintainers)
    if not changed:
        raise FailedPrecondition("unchanged", "the activity is already so", subject="activity")
    if caller.party not in maintainers:
        # A party does not sign away its own maintenance by accident: another takes it over by
        # adding itself first.
        raise InvalidArgument("activity.maintainers", "must keep the caller's party")
    version = int(current["version"]) + 1
    repo.change(activity_id, version, fields, maintainers)
    repo.record_change(
        activity_id, version, "changed", changed, caller.party, caller.person, reason
    )
    deps.register.note_version(activity_id, str(version))
    changed_now = repo.find(activity_id)
    assert changed_now is not None
    return changed_now


def retire_processing_activity(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: reg.RetireProcessingActivity, caller: Caller
) -> dict[str, Any]:
    activity_id = reg.check_activity_id(cmd.activity_id, "activity_id")
    reason = reg.check_reason(cmd.reason, required=True)
    repo = ProcessingActivityRepository(uow.session)
    current = repo.find(activity_id, for_update=True)
    if current is None:
        raise NotFound("processing activity", activity_id)
    _require_maintainer(deps, caller, activity_id, current["maintainers"])
    if current["retired_at"] is not None:
        raise FailedPrecondition("retired", "the activity is already retired", subject="activity")
    if activity_id == deps.register.header()["disclosure_activity"]:
        # Every disclosure decision names this activity in the access log.
        raise FailedPrecondition(
            "in_use",
            "the activity every disclosure is logged under is not retired",
            subject="activity_id",
        )
    version = int(current["version"]) + 1
    now = utcnow()
    repo.retire(activity_id, version, now)
    repo.record_change(
        activity_id, version, "retired", [], caller.party, caller.person, reason, now
    )
    retired = repo.find(activity_id)
    assert retired is not None
    return retired


def list_processing_activity_history(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: reg.ListProcessingActivityHistory, caller: Caller
) -> list[dict[str, Any]]:
    """Every change, newest first: the register is public within the Zorgtafel (GDPR art.
    30(4)); the history names the pseudonymous person who made each change."""
    activity_id = reg.check_activity_id(cmd.activity_id, "activity_id") if cmd.activity_id else ""
    return ProcessingActivityRepository(uow.session).history(
        activity_id, offset=cmd.offset, limit=cmd.limit
    )
