"""Consents: the subject's (or a parent's or guardian's, Bijlage 3 consent rules) for
categories of a case, and the provider's prior written consent to release an item to a third
party (art. 9.2). Recorded here; whether they suffice is the policy's to decide."""

from __future__ import annotations

import uuid

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain.consents import CONSENT_GIVERS, PROVIDER_WRITTEN, SUBJECT, Consent
from services.disclosure.domain.items import check_item_id
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.uow import utcnow


def record_subject_consent(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.RecordSubjectConsent, caller: Caller
) -> str:
    validate.check_id(cmd.case_id, "subject.case_id")
    if cmd.given_by not in CONSENT_GIVERS:
        raise InvalidArgument("subject.given_by", "required: subject, parent or guardian")
    scope = validate.check_codes(
        cmd.scope, "subject.scope_categories", required=True, duplicates="merge"
    )
    validate.check_reference(cmd.document_ref, "subject.document_ref")
    if not uow.cases.known(cmd.case_id):
        raise FailedPrecondition(
            "case_not_known", "the case is not known to disclosure", subject="subject.case_id"
        )
    consent = Consent(
        consent_id=f"cns-{uuid.uuid4().hex}",
        kind=SUBJECT,
        case_id=cmd.case_id,
        item_id=None,
        given_by=cmd.given_by,
        scope=scope,
        recipient=None,
        document_ref=cmd.document_ref,
        given_at=cmd.given_at,
        recorded_by_party=caller.party,
        recorded_by_person=caller.person,
        recorded_at=utcnow(),
    )
    uow.consents.add(consent)
    return consent.consent_id


def record_provider_consent(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.RecordProviderConsent, caller: Caller
) -> str:
    """Art. 9.2: the consent is recorded as given by the caller's party; the policy accepts it
    only when that party is the item's provider."""
    item = uow.items.get(check_item_id(cmd.item_id, "provider_written.item_id"))
    validate.check_oin(cmd.third_party, "provider_written.third_party")
    validate.check_reference(cmd.document_ref, "provider_written.document_ref")
    consent = Consent(
        consent_id=f"cns-{uuid.uuid4().hex}",
        kind=PROVIDER_WRITTEN,
        case_id=item.case_id,
        item_id=item.item_id,
        given_by=caller.party,
        scope=(),
        recipient=cmd.third_party,
        document_ref=cmd.document_ref,
        given_at=cmd.given_at,
        recorded_by_party=caller.party,
        recorded_by_person=caller.person,
        recorded_at=utcnow(),
    )
    uow.consents.add(consent)
    return consent.consent_id
