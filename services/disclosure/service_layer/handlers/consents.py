"""Consents: the subject's (or a parent's or guardian's, Bijlage 3 consent rules) for
categories of a case, and the provider's prior written consent to release an item to a third
party (art. 9.2). Recorded and withdrawn here, each with its document reference and who
recorded it; who may is ``zorgtafel.disclosure.control``'s to decide (the nominating party,
the case's process director or a delegate of an involved party; the provider for its own
written consent), whether they suffice for a release is ``zorgtafel.disclosure``'s."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands, events
from services.disclosure.domain.consents import (
    CONSENT_GIVERS,
    CONSENT_PREFIX,
    PROVIDER_WRITTEN,
    SUBJECT,
    Consent,
)
from services.disclosure.domain.decisions import CONTROL_POLICY, CaseFacts, control_input
from services.disclosure.domain.items import check_item_id
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    NotShared,
    PermissionDenied,
)
from zorgtafel.kernel.uow import utcnow


def _require_part(
    deps: Deps,
    operation: str,
    caller: Caller,
    case: CaseFacts | None,
    case_id: str,
) -> None:
    """May this person record (or withdraw) the subject's consent for this case?"""
    deps.policy.require(
        CONTROL_POLICY,
        control_input(
            operation,
            caller,
            functions=deps.roster.functions(caller.party, caller.person),
            case=case,
            case_id=case_id,
            kind=SUBJECT,
        ),
    )


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
    # The policy first: for an unknown case nobody has a part, so nobody learns whether it
    # exists (8.4c).
    case = uow.cases.find(cmd.case_id, hold=True)
    _require_part(deps, "record_consent", caller, case, cmd.case_id)
    consent = Consent(
        consent_id=f"{CONSENT_PREFIX}{uuid.uuid4().hex}",
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
        recorded_at=deps.clock(),
    )
    uow.consents.add(consent)
    _announce(
        uow, consent, "given", uow.cases.consent_changed(consent.case_id, consent.recorded_at)
    )
    return consent.consent_id


def _announce(uow: DisclosureUnitOfWork, consent: Consent, status: str, at: datetime) -> None:
    """Intake shares a nomination in triage only on the subject's consent as it now stands
    (Bijlage 3, GDPR art. 7(3)): a subject consent recorded or withdrawn is published for the
    case (ids and the status; never who gave it, its scope or its document), with ``at`` from
    ``consent_changed``: intake applies the case's changes in that order."""
    uow.emit(
        events.SubjectConsentChanged(
            case_id=consent.case_id,
            consent_id=consent.consent_id,
            status=status,
            changed_at=at.isoformat(),
        )
    )


def record_provider_consent(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.RecordProviderConsent, caller: Caller
) -> str:
    """Art. 9.2: the consent is given by the caller's party, which must be the item's provider
    (decided by policy)."""
    item_id = check_item_id(cmd.item_id, "provider_written.item_id")
    validate.check_oin(cmd.third_party, "provider_written.third_party")
    validate.check_reference(cmd.document_ref, "provider_written.document_ref")
    item = uow.items.find(item_id)
    # An id that names no item is decided as an item someone else provided (no provider): the
    # same refusal, so that an id is no oracle of what exists (art. 8.4c, ADR 0005).
    deps.policy.require(
        CONTROL_POLICY,
        control_input(
            "record_provider_consent",
            caller,
            item_id=item_id,
            provider=item.provider if item else "",
            kind=PROVIDER_WRITTEN,
        ),
    )
    if item is None or uow.cases.find(item.case_id, hold=True) is None:  # or purged since
        raise NotFound("item", "with this item_id")
    consent = Consent(
        consent_id=f"{CONSENT_PREFIX}{uuid.uuid4().hex}",
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


def _may_know_of(caller: Caller, case: CaseFacts | None, provider: str) -> bool:
    """Whether the caller may learn that a consent of ``case`` (about an item of ``provider``)
    exists: the provider's party (art. 9.2, 16.2), the nominating party (which records the
    subject's consent for its nomination, Bijlage 3), and a person with a part in the case:
    its process director, its case director, a delegate of the person's party. Need to know
    holds within a party too (art. 8.4c, 15.1): a colleague without a part may not."""
    party, person = caller.party, caller.person
    if not party:
        return False
    if party == provider:
        return True
    if case is None:
        return False
    if party == case.nominating_party:
        return True
    if person and person in case.delegates.get(party, ()):
        return True
    return bool(person) and any(
        named is not None and (named.party, named.person) == (party, person)
        for named in (case.process_director, case.case_director)
    )


def _withdrawn_at(value: datetime | None, now: datetime) -> datetime:
    # A withdrawal counts from when it happened; one dated ahead would let releases rest on a
    # consent the subject already took back, or record a withdrawal that did not happen yet.
    if value is None:
        return now
    if value > now:
        raise InvalidArgument("withdrawn_at", "must not be in the future")
    return value


def withdraw_consent(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.WithdrawConsent, caller: Caller
) -> Consent:
    """Bijlage 3, GDPR art. 7(3): recorded by the persons who may record the consent (the
    subject's withdrawal), or by the provider (its written consent, art. 9.2)."""
    consent_id = validate.check_prefixed_id(
        cmd.consent_id, "consent_id", CONSENT_PREFIX, "must be an id as returned by RecordConsent"
    )
    validate.check_reference(cmd.document_ref, "document_ref")
    now = deps.clock()
    at = _withdrawn_at(cmd.withdrawn_at, now)
    consent = uow.consents.find(consent_id)
    if consent is None:
        # Asked as a subject's consent of a case nobody has a part in (refused to anyone):
        # answered, and its refusal recorded and paid for, as a real consent the caller may
        # not know of (art. 8.4c).
        try:
            _require_part(deps, "withdraw_consent", caller, None, "")
        except PermissionDenied as denied:
            raise NotShared("consent", "consent_id", denied) from None
        raise NotShared("consent", "consent_id")  # permitted to no one: never reached
    case = uow.cases.find(consent.case_id)
    item = uow.items.find(consent.item_id) if consent.item_id else None
    provider = item.provider if item else consent.given_by
    try:
        if consent.kind == SUBJECT:
            _require_part(deps, "withdraw_consent", caller, case, consent.case_id)
        else:
            deps.policy.require(
                CONTROL_POLICY,
                control_input(
                    "withdraw_consent",
                    caller,
                    item_id=consent.item_id or "",
                    provider=provider,
                    kind=PROVIDER_WRITTEN,
                ),
            )
    except PermissionDenied as denied:
        # The policy's reasons tell that the consent exists and of which kind, which a caller
        # holding only its id need not know: anyone who may not know of it is told what an
        # unknown id is told (art. 8.4c; the access log keeps these).
        if not _may_know_of(caller, case, provider):
            raise NotShared("consent", "consent_id", denied) from None
        raise
    if consent.withdrawn_at is not None:
        raise FailedPrecondition(
            "withdrawn", "the consent was already withdrawn", subject="consent_id"
        )
    uow.consents.withdraw(
        consent_id, at=at, party=caller.party, person=caller.person, document_ref=cmd.document_ref
    )
    withdrawn = uow.consents.find(consent_id)
    assert withdrawn is not None
    if withdrawn.kind == SUBJECT:
        # Stamped when recorded (not when it was withdrawn, which may be dated back): after
        # the case's last change, the consent's recording among them.
        _announce(uow, withdrawn, "withdrawn", uow.cases.consent_changed(withdrawn.case_id, now))
    return withdrawn
