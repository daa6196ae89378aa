"""The registers of Bijlage 3: processing activities (the nine fields of GDPR art. 30, shipped
as data) and data breaches (GDPR art. 33(5)), readable and exportable as JSON."""

from __future__ import annotations

import json
import uuid

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain.subject_rights import MAX_BREACH_TEXT, MAX_SUBJECTS_AFFECTED, Breach
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
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
    its oversight's business (ADR 0005: oversight is scoped to the controller)."""
    return [b for b in uow.breaches.all() if b.recorded_by_party == caller.party]


def list_breaches(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListBreaches, caller: Caller
) -> list[Breach]:
    return own_breaches(uow, caller)


def list_processing_activities(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ListProcessingActivities, caller: Caller
) -> list[dict]:
    return list(deps.register.activities)


def export_register(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.ExportRegister, caller: Caller
) -> bytes:
    """The register as a JSON document."""
    if cmd.register == "processing":
        return deps.register.export_json()
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
