"""Oversight scoped to the controller (Bijlage 3, NEN 7513; issue #13): a privacy officer or
auditor sees what concerns its own party - items it provided or received, the log records,
reviews and consents about them, and the subject requests addressed to it.

The ``zorgtafel.disclosure.control`` policy decides whether the caller's party is concerned at
all and hands a ``restrict_to_party`` obligation; this module only names the parties a row
concerns and obeys that obligation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.disclosure.domain.consents import PROVIDER_WRITTEN, Consent
from services.disclosure.domain.decisions import Review
from services.disclosure.domain.items import Item
from services.disclosure.domain.subject_rights import AccessReport, SubjectRequest

# The access log's oversight rules are the kernel's (every service's log is read alike).
from zorgtafel.kernel.accesslog.oversight import record_parties, restricted_to  # noqa: F401

# Results of the access log through which an item reached a party.
RECEIVED = ("allowed", "break_glass")


def review_parties(review: Review) -> set[str]:
    return {review.provider, review.party}


def request_controller(request: SubjectRequest) -> str:
    """The controller a subject request is addressed to (older requests: their submitter)."""
    return request.controller or request.submitted_by_party


def data_controllers(
    providers: Iterable[str],
    recorders: Iterable[str],
    nominating_parties: Iterable[str],
    accesses: Iterable[Mapping[str, Any]],
) -> set[str]:
    """The controllers of what disclosure holds about a subject (Bijlage 3, art. 15.1, 16.2):
    the parties that provided an item (its ``providers``) or received one (an allowed or
    overriding read in the log), recorded a consent (its ``recorders``), or nominated the case
    (12.3). Being addressed by a subject request is not among them: any party's worker could
    address one to its own party."""
    parties = set(providers)
    for r in accesses:
        if r.get("result") in RECEIVED:
            parties |= {p for p in (r.get("party"), r.get("recipient")) if p}
    parties |= set(recorders)
    parties |= set(nominating_parties)
    return {p for p in parties if p}


def consent_answerers(consent: Consent, nominating_party: str) -> set[str]:
    """The parties whose privacy officer answers for a consent record (GDPR art. 15: each
    controller for its own processing; art. 15.1, 16.2): the party that recorded it and the one
    that withdrew it; for the provider's written consent (9.2) the provider that gave it; for
    the subject's consent also the case's nominating party, the controller of the case (12.3:
    a request about the case, the erasure of its consents included, is addressed to it). A
    party that merely provided or received an item, or nominated the case of another
    provider's item, does not: the record is not its processing."""
    parties = {consent.recorded_by_party, consent.withdrawn_by_party or ""}
    if consent.kind == PROVIDER_WRITTEN:
        parties.add(consent.given_by)
    else:
        parties.add(nominating_party)
    return {p for p in parties if p}


def report_parties(report: AccessReport) -> set[str]:
    parties = {i.provider for i in report.items}
    for record in report.accesses:
        parties |= record_parties(record)
    return parties | {request_controller(r) for r in report.requests}


def _received(records: Iterable[Mapping[str, Any]], party: str) -> set[str]:
    return {
        str(r.get("resource"))
        for r in records
        if r.get("result") in RECEIVED and party in (r.get("party"), r.get("recipient"))
    }


def narrow_report(report: AccessReport, party: str) -> AccessReport:
    """The part of a subject access report that concerns ``party`` as controller: the items it
    provided or received, the consents it recorded or gave or that cover those items' cases,
    the log records naming it, and the requests addressed to it."""
    received = _received(report.accesses, party)
    items: tuple[Item, ...] = tuple(
        i for i in report.items if i.provider == party or i.item_id in received
    )
    item_ids = {i.item_id for i in items}
    case_ids = {i.case_id for i in items}

    def concerns(c: Consent) -> bool:
        return (
            party in (c.recorded_by_party, c.given_by)
            or (c.item_id is not None and c.item_id in item_ids)
            or (c.item_id is None and c.case_id in case_ids)
        )

    return AccessReport(
        items=items,
        consents=tuple(c for c in report.consents if concerns(c)),
        accesses=tuple(r for r in report.accesses if party in record_parties(r)),
        requests=tuple(r for r in report.requests if request_controller(r) == party),
    )
