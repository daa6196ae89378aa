"""Disclosure's part of the subject access report (GDPR art. 15, Bijlage 3; issue #14): the
items of the subject's cases (never their content: each provider answers for that), the
consents, every logged read about the subject, the subject's requests and the safety overrides
on the items; for the privacy officer of a controller: a party that provided or received an
item, recorded a consent or nominated the case (art. 15.1, 16.2, 12.3). A party to which a
subject request was addressed is not a controller by that alone (Bijlage 3).

What is another party's stays with it (art. 15.1, 16.2, 17): an item that the caller's party
neither provided nor received, a log record that does not name it, a consent another party
recorded (a provider's written consent: the provider's; the subject's consent: its recorder's and
the nominating party's, 12.3), a request addressed to another controller and an override's
justification are listed as withheld with the ground."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain.decisions import CaseFacts
from services.disclosure.domain.oversight import (
    RECEIVED,
    consent_answerers,
    data_controllers,
    request_controller,
)
from zorgtafel.kernel.accesslog.oversight import record_parties
from zorgtafel.kernel.accesslog.service import reader
from zorgtafel.kernel.subjectdata.model import Holding, Record, Section, TwoStepExporter
from zorgtafel.kernel.uow import UnitOfWork

DESCRIPTIONS = {
    "items": "Information items of the subject's cases, by category and legal basis; the "
    "content is the provider's to give (art. 15.1, 16.2).",
    "consents": "The subject's consents and the providers' written consents (Bijlage 3, 9.2).",
    "accesses": "Every logged read about the subject: who, when, why, the decision (NEN 7513).",
    "requests": "The subject's requests and their outcomes (Bijlage 3).",
    "overrides": "Safety overrides on the subject's items and whether the client was informed "
    "(Bijlage 3).",
}
MAX_ACCESSES = 1000
OTHER_PROVIDER = (
    "Held for its provider, which decides on the use of its information: the subject asks that "
    "provider (art. 15.1, 16.2)."
)
OTHER_LOG = "A logged read that concerns other parties only: their controllers answer for it."
OTHER_CONTROLLER = "Addressed to another controller, whose privacy officer answers it."
OTHER_CONSENT = (
    "Recorded by another party, which answers for its record of the consent (a provider for "
    "its written consent to a third party): the subject asks that party (art. 15.1, 16.2)."
)


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _recipients(accesses: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    """Item id -> the parties it was released to (the access log's allowed records)."""
    out: dict[str, set[str]] = {}
    for r in accesses:
        if r.get("result") in RECEIVED and r.get("resource"):
            out.setdefault(str(r["resource"]), set()).update(
                p for p in (r.get("party"), r.get("recipient")) if p
            )
    return out


def _described(name: str, total_reads: int) -> str:
    if name == "accesses" and total_reads > MAX_ACCESSES:
        return (
            f"{DESCRIPTIONS[name]} The newest {MAX_ACCESSES} of {total_reads}; every one is "
            "listed, page by page, by AccessLog for the subject."
        )
    return DESCRIPTIONS[name]


def _cases(d: DisclosureUnitOfWork, by: str, value: str) -> tuple[list[CaseFacts], list[str]]:
    """The facts of the case asked for (none when unknown), or of the subject's cases, and
    the case ids they are about: one statement either way."""
    if by == "case_id":
        found = d.cases.find(value)
        return ([found] if found is not None else []), [value]
    facts_cases = d.cases.facts_of_subject(value)
    return facts_cases, [f.case_id for f in facts_cases]


def controllers(uow: UnitOfWork, by: str, value: str) -> Holding | None:
    """The subject's cases and who answers for each (the nominating party, the items'
    providers, the consents' recorders, the parties that received an item), read without any
    record and with the same statements whether anything is held or not (one per table, for
    any number of cases, none included): all the decision needs. A privacy officer refused it
    would otherwise tell by the time of the refusal whether a person is in the care table
    (8.4c)."""
    d = cast(DisclosureUnitOfWork, uow)  # the definition's unit of work
    facts_cases, case_ids = _cases(d, by, value)
    provided = d.items.providers_of_cases(case_ids)
    recorded = d.consents.recorders_of_cases(case_ids)
    # Who looked into the case (by its id: a case never opened here has no subject) or the
    # subject's cases, and who received an item of them.
    looks = d.access_log.looks(by, value)
    if not (provided or recorded or looks or facts_cases):
        return None
    received = [r for r in looks if r["names_item"]]
    # Who answers for this data (``data_controllers``); not a party a subject request is
    # addressed to: any worker can address one to its own party, which would make that
    # party's privacy officer a reader of all of this. Each case its own: a controller of one
    # of the subject's cases is none of another's.
    if by == "case_id":  # the case's subject (a case never opened here has none)
        pseudonym = facts_cases[0].subject_pseudonym if facts_cases else ""
    else:
        pseudonym = value
    nominating = {f.case_id: f.nominating_party for f in facts_cases}
    by_case = {
        c: frozenset(
            data_controllers(
                (p for case, p in provided if case == c),
                (p for case, p in recorded if case == c),
                [nominating.get(c, "")],
                (r for r in received if r.get("case_id") == c),
            )
        )
        for c in case_ids
    }
    return Holding(
        case_ids=tuple(case_ids),
        controllers=frozenset(
            data_controllers(
                (p for _, p in provided),
                (p for _, p in recorded),
                nominating.values(),
                received,
            )
        ),
        case_controllers=by_case,
        subject_pseudonym=pseudonym,
        asked_by=by,
    )


def records(uow: UnitOfWork, holding: Holding, allowed: frozenset[str]) -> tuple[Section, ...]:
    """The records, read only now that the decision allowed them: the items, consents and
    overrides of the cases it gave, every logged read about the case asked for (its looks by
    its id: the subject's other cases, and who looked into them, are no business of a
    controller of this one, not even as a withheld line, 8.4c) or about the subject, and the
    subject's requests (of the case asked for, or about everything of the subject)."""
    d = cast(DisclosureUnitOfWork, uow)
    by_case = holding.asked_by == "case_id"
    value = holding.case_ids[0] if by_case else holding.subject_pseudonym
    facts_cases, _ = _cases(d, holding.asked_by, value)
    given = [c for c in holding.case_ids if c in allowed]
    items = d.items.of_cases(given)
    consents = d.consents.of_cases(given)
    reviews = d.reviews.under_review_of(given)
    if by_case:
        accesses = reader(d).every("case_id", value)
    else:
        accesses = list(d.access_log.of_subject(value))
    pseudonym = holding.subject_pseudonym
    # "" names no request: the same statement either way.
    requests = list(d.subject_requests.of_subject(pseudonym))
    if by_case:
        requests = [r for r in requests if r.case_id in (None, value)]
    received = _recipients(accesses)
    # One message stays within gRPC's size: the newest reads, and how many there are in all
    # (the rest page through AccessLog), so a long history is never cut off silently.
    total_reads = len(accesses)
    accesses = accesses[-MAX_ACCESSES:]
    sections: dict[str, list[Record]] = {name: [] for name in DESCRIPTIONS}
    for i in items:
        sections["items"].append(
            Record(
                "item",
                i.item_id,
                i.case_id,
                i.provided_at,
                i.provider,
                {
                    "category": i.category,
                    "classification": i.classification,
                    "legal_basis": i.legal_basis,
                    "content_type": i.content_type,
                    "retracted": str(i.retracted).lower(),
                    "erased": str(i.erased).lower(),
                    "received_by": json.dumps(sorted(received.get(i.item_id, ()))),
                },
                internal=True,
                shared_with=frozenset(received.get(i.item_id, ())),
                ground=OTHER_PROVIDER,
            )
        )
    nominating = {f.case_id: f.nominating_party for f in facts_cases}
    for c in consents:
        # The recorder's record (art. 15.1, 16.2): given only to the parties that answer for
        # it, never to every controller of the subject's data.
        answerers = consent_answerers(c, nominating.get(c.case_id, ""))
        sections["consents"].append(
            Record(
                "consent",
                c.consent_id,
                c.case_id,
                c.recorded_at,
                c.recorded_by_party,
                {
                    "kind": c.kind,
                    "item_id": c.item_id or "",
                    "given_by": c.given_by,
                    "scope": json.dumps(list(c.scope)),
                    "recipient": c.recipient or "",
                    "document_ref": c.document_ref,
                    "withdrawn_at": _iso(c.withdrawn_at),
                },
                internal=True,
                shared_with=frozenset(answerers),
                ground=OTHER_CONSENT,
            )
        )
    for r in accesses:
        parties = record_parties(r)
        sections["accesses"].append(
            Record(
                "access",
                str(r.get("decision_id") or r.get("seq")),
                str(r.get("case_id") or ""),
                r.get("recorded_at"),
                str(r.get("party") or ""),
                {
                    k: str(r.get(k) or "")
                    for k in (
                        "person",
                        "role",
                        "action",
                        "purpose",
                        "resource",
                        "provider",
                        "recipient",
                        "result",
                        "policy_revision",
                        "processing_activity",
                    )
                }
                | {"emergency": str(bool(r.get("emergency"))).lower()},
                internal=True,
                shared_with=frozenset(parties),
                ground=OTHER_LOG,
            )
        )
    for q in requests:
        controller = request_controller(q)
        sections["requests"].append(
            Record(
                "subject_request",
                q.subject_request_id,
                q.case_id or "",
                q.submitted_at,
                controller,
                {
                    "kind": q.kind,
                    "item_id": q.item_id or "",
                    "outcome": q.outcome or "",
                    "refusal_ground": q.refusal_ground or "",
                    "reason": q.reason or "",
                    "decided_at": _iso(q.decided_at),
                },
                internal=True,
                ground=OTHER_CONTROLLER,
            )
        )
    for v in reviews:
        sections["overrides"].append(
            Record(
                "safety_override",
                v.review_id,
                v.case_id,
                v.created_at,
                v.party,
                {
                    "item_id": v.item_id,
                    "provider": v.provider,
                    "client_informed": v.client_informed,
                },
                internal=True,
                shared_with=frozenset({v.provider}),
                ground=OTHER_PROVIDER,
            )
        )
        sections["overrides"].append(
            Record(
                "override_justification",
                f"{v.review_id}:justification",
                v.case_id,
                v.created_at,
                v.party,
                {"justification": v.justification, "consulted_colleague": v.consulted_colleague},
                internal=True,
            )
        )
    return tuple(Section(n, _described(n, total_reads), tuple(r)) for n, r in sections.items())


# Controllers first, records after an allow: a refusal costs the same whether anything is held.
export = TwoStepExporter(controllers, records)
