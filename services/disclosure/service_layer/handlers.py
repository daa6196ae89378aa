"""Disclosure use cases. Each takes a unit of work (or the factory, for the two-step
disclosure) and plain values, and commits or raises a kernel error.

The service gathers facts, Rego decides, the service obeys (ARCHITECTURE.md). Every
disclosure decision, allowed or denied, is appended to the hash-chained access log in the same
transaction as its event, and only after that commit does any content leave (log before
release): a failed log write answers UNAVAILABLE and releases nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping

from sqlalchemy import delete, insert, select, update

from services.disclosure.adapters import accesslog
from services.disclosure.adapters.casekeys import CaseKeys
from services.disclosure.adapters.orm import (access_log, breaches, case_facts, consents,
                                              items, reviews, subject_requests)
from services.disclosure.adapters.orm import tables as orm_tables
from services.disclosure.adapters.registers import ProcessingRegister
from services.disclosure.domain import events, model
from services.disclosure.domain.model import (Caller, CaseFacts, ItemFacts, Recipient, Terms)
from zorgtafel.kernel.errors import (FailedPrecondition, InvalidArgument, NotFound,
                                     PermissionDenied, Unavailable)
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork, utcnow

log = get_logger(__name__)

DISCLOSURE_POLICY = "zorgtafel.disclosure"
CONTROL_POLICY = "zorgtafel.disclosure.control"
MAX_ITEMS_PER_REQUEST = 200


@dataclass
class Deps:
    """What the handlers need besides a unit of work (built once by the composition root)."""
    uow_factory: Callable[[], UnitOfWork]
    policy: Any
    keys: CaseKeys
    register: ProcessingRegister
    wake_relay: Callable[[], None] = lambda: None


# ------------------------------------------------------------------------------------------
# Policy helpers: anything but allow is True is a deny; an engine failure is UNAVAILABLE
# ------------------------------------------------------------------------------------------

def _decide(policy, package: str, inp: Mapping[str, Any]):
    try:
        return policy.decide(package, inp)
    except Exception as exc:  # noqa: BLE001 - fail closed
        log.warning("policy_unavailable", policy=package, error_type=type(exc).__name__)
        raise Unavailable("policy engine unavailable: denied (fail closed)") from exc


def _require(policy, package: str, inp: Mapping[str, Any]) -> Any:
    decision = _decide(policy, package, inp)
    if decision.allow is not True:
        raise PermissionDenied(list(decision.reasons), decision.decision_id, decision.revision)
    return decision


def _caller_input(caller: Caller) -> dict:
    return {"party": caller.party, "person": caller.person, "role": caller.role,
            "party_status": caller.party_status}


def _obligations(decision) -> list[dict]:
    out = []
    for ob in decision.obligations or ():
        out.append(dict(ob) if isinstance(ob, Mapping) else {"type": str(ob)})
    return out


# ------------------------------------------------------------------------------------------
# Items
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Provide:
    case_id: str
    category: str
    classification: str
    legal_basis: str
    content_type: str
    content: bytes
    terms: Terms
    field_summaries: Mapping[str, str] = field(default_factory=dict)


def _case_row(session, case_id: str):
    return session.execute(select(case_facts).where(case_facts.c.case_id == case_id)).first()


def _item_row(session, item_id: str, field_name: str = "item_id"):
    model.check_item_id(item_id, field_name)
    row = session.execute(select(items).where(items.c.item_id == item_id)).first()
    if row is None:
        raise NotFound("item", item_id)
    return row


def _terms_of(row) -> Terms:
    return Terms.from_json(json.loads(row.terms))


def provide(uow: UnitOfWork, deps: Deps, caller: Caller, cmd: Provide) -> str:
    model.check_id(cmd.case_id, "case_id")
    model.check_code(cmd.category, "category")
    if cmd.classification not in model.CLASSIFICATIONS:
        raise InvalidArgument("classification", "required: internal, confidential or secret")
    if cmd.legal_basis not in model.LEGAL_BASES:
        raise InvalidArgument("legal_basis", "required: one of " + ", ".join(model.LEGAL_BASES))
    terms = model.validate_terms(cmd.terms)
    model.validate_content(cmd.content, cmd.content_type, terms, cmd.field_summaries)
    session = uow.session
    if _case_row(session, cmd.case_id) is None:
        raise FailedPrecondition("case_not_known", "the case is not known to disclosure (no "
                                 "nomination or opening received yet)", subject="case_id")
    item_id = f"itm-{uuid.uuid4().hex}"
    key = deps.keys.key_for(session, cmd.case_id, create=True)
    now = utcnow()
    summaries = (deps.keys.seal(key, json.dumps(dict(cmd.field_summaries)).encode(),
                                f"{item_id}:summaries") if cmd.field_summaries else None)
    session.execute(insert(items).values(
        item_id=item_id, case_id=cmd.case_id, provider=caller.party,
        provided_by_person=caller.person, category=cmd.category,
        classification=cmd.classification, legal_basis=cmd.legal_basis,
        content_type=cmd.content_type, content_sealed=deps.keys.seal(key, cmd.content, item_id),
        summaries_sealed=summaries, terms=json.dumps(terms.to_json(), sort_keys=True),
        retracted=False, retracted_at=None, erased=False, provided_at=now, updated_at=now))
    uow.emit(events.ItemProvided(item_id=item_id, case_id=cmd.case_id, provider=caller.party,
                                 category=cmd.category))
    return item_id


def _control_input(operation: str, caller: Caller, **resource) -> dict:
    return {"operation": operation, "caller": _caller_input(caller), "resource": resource}


def set_usage_terms(uow: UnitOfWork, deps: Deps, caller: Caller, item_id: str,
                    terms: Terms):
    """Art. 16.2: only the provider changes its terms (decided by policy)."""
    row = _item_row(uow.session, item_id)
    _require(deps.policy, CONTROL_POLICY, _control_input(
        "set_usage_terms", caller, item_id=row.item_id, provider=row.provider))
    terms = model.validate_terms(terms)
    model.check_summary_fields_fit(row.content_type, terms)
    uow.session.execute(update(items).where(items.c.item_id == row.item_id).values(
        terms=json.dumps(terms.to_json(), sort_keys=True), updated_at=utcnow()))
    return _item_row(uow.session, item_id)


def retract(uow: UnitOfWork, deps: Deps, caller: Caller, item_id: str):
    """Art. 16.2: only the provider retracts (decided by policy); a retracted item is never
    shown again. Retracting twice is a no-op."""
    row = _item_row(uow.session, item_id)
    _require(deps.policy, CONTROL_POLICY, _control_input(
        "retract", caller, item_id=row.item_id, provider=row.provider))
    if not row.retracted:
        uow.session.execute(update(items).where(items.c.item_id == row.item_id).values(
            retracted=True, retracted_at=utcnow(), updated_at=utcnow()))
        uow.emit(events.ItemRetracted(item_id=row.item_id, case_id=row.case_id,
                                      provider=row.provider))
    return _item_row(uow.session, item_id)


# ------------------------------------------------------------------------------------------
# Consents
# ------------------------------------------------------------------------------------------

def record_subject_consent(uow: UnitOfWork, caller: Caller, *, case_id: str, given_by: str,
                           scope: Iterable[str], document_ref: str,
                           given_at: datetime | None) -> str:
    model.check_id(case_id, "subject.case_id")
    if given_by not in model.CONSENT_GIVERS:
        raise InvalidArgument("subject.given_by", "required: subject, parent or guardian")
    scope = model.check_codes(scope, "subject.scope_categories", required=True)
    model.check_ref(document_ref, "subject.document_ref")
    if _case_row(uow.session, case_id) is None:
        raise FailedPrecondition("case_not_known", "the case is not known to disclosure",
                                 subject="subject.case_id")
    consent_id = f"cns-{uuid.uuid4().hex}"
    uow.session.execute(insert(consents).values(
        consent_id=consent_id, kind="subject", case_id=case_id, item_id=None,
        given_by=given_by, scope=json.dumps(scope), recipient=None, document_ref=document_ref,
        given_at=given_at, recorded_by_party=caller.party, recorded_by_person=caller.person,
        recorded_at=utcnow()))
    return consent_id


def record_provider_consent(uow: UnitOfWork, caller: Caller, *, item_id: str, third_party: str,
                            document_ref: str, given_at: datetime | None) -> str:
    """Art. 9.2: the consent is recorded as given by the caller's party; the policy accepts it
    only when that party is the item's provider."""
    row = _item_row(uow.session, item_id, "provider_written.item_id")
    model.check_oin(third_party, "provider_written.third_party")
    model.check_ref(document_ref, "provider_written.document_ref")
    consent_id = f"cns-{uuid.uuid4().hex}"
    uow.session.execute(insert(consents).values(
        consent_id=consent_id, kind="provider_written", case_id=row.case_id,
        item_id=row.item_id, given_by=caller.party, scope="[]", recipient=third_party,
        document_ref=document_ref, given_at=given_at, recorded_by_party=caller.party,
        recorded_by_person=caller.person, recorded_at=utcnow()))
    return consent_id


# ------------------------------------------------------------------------------------------
# Disclosure: gather facts, decide, log (same transaction as the events), then release
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DisclosureRequest:
    action: str
    purpose: str
    item_ids: tuple[str, ...] = ()
    case_id: str = ""
    category: str = ""
    third_party: str = ""
    break_glass: Mapping[str, str] | None = None
    trace_id: str = ""
    span_id: str = ""


@dataclass
class Released:
    item_id: str
    case_id: str
    category: str
    provider: str
    content_type: str
    content: bytes
    redacted_fields: list[str]
    decision_id: str
    reasons: list[str]
    obligations: list[dict]


@dataclass
class Denied:
    item_id: str
    decision_id: str
    reasons: list[str]


@dataclass
class DisclosureOutcome:
    released: list[Released]
    denied: list[Denied]
    revision: str


def _validate_request(req: DisclosureRequest) -> None:
    if req.action not in model.ACTIONS:
        raise InvalidArgument("action", "required: read, pre_read, third_party_release or "
                              "onward_share")
    model.check_code(req.purpose, "purpose")
    if req.item_ids:
        if len(req.item_ids) > MAX_ITEMS_PER_REQUEST:
            raise InvalidArgument("item_ids", f"at most {MAX_ITEMS_PER_REQUEST} items")
        for i, item_id in enumerate(req.item_ids):
            model.check_item_id(item_id, f"item_ids[{i}]")
        if req.case_id or req.category:
            raise InvalidArgument("item_ids", "give either item_ids or case_id (and category)")
    else:
        model.check_id(req.case_id, "case_id")
        if req.category:
            model.check_code(req.category, "category")
    if req.action == "third_party_release":
        # A third party (art. 1.8) is an organisation identified by its OIN.
        model.check_oin(req.third_party, "third_party")
    elif req.third_party:
        raise InvalidArgument("third_party", "only for action third_party_release")


def _party_row(session, party_id: str):
    """The party's status in the kernel's projection of governance's party events."""
    pd = orm_tables["party_directory"]
    return session.execute(select(pd.c.status).where(pd.c.party_id == party_id)).first()


@dataclass
class _Pending:
    row: Any
    case: CaseFacts | None
    decision: Any
    obligations: list[dict]
    allowed: bool
    result: str
    reasons: list[str]
    key: bytes | None


def request_disclosure(deps: Deps, caller: Caller, req: DisclosureRequest) -> DisclosureOutcome:
    _validate_request(req)
    now = utcnow()
    secrets = [req.break_glass.get("justification", "")] if req.break_glass else []
    # 1. Gather the facts (one read transaction).
    pending: list[_Pending] = []
    with deps.uow_factory() as uow:
        s = uow.session
        if req.item_ids:
            rows = s.execute(select(items).where(items.c.item_id.in_(req.item_ids))).all()
            found = {r.item_id for r in rows}
            missing = [i for i in req.item_ids if i not in found]
            if missing:
                raise NotFound("item", missing[0])
            rows.sort(key=lambda r: req.item_ids.index(r.item_id))
        else:
            q = select(items).where(items.c.case_id == req.case_id)
            if req.category:
                q = q.where(items.c.category == req.category)
            rows = s.execute(q.order_by(items.c.provided_at, items.c.item_id)
                             .limit(MAX_ITEMS_PER_REQUEST)).all()
            if not rows:
                raise NotFound("items", "of the requested case and category")
        recipient_party = req.third_party if req.action == "third_party_release" else caller.party
        prow = _party_row(s, recipient_party)
        recipient = Recipient(party=recipient_party, is_party=prow is not None,
                              party_status=prow.status if prow else "unknown",
                              role=caller.role, person=caller.person)
        cases: dict[str, CaseFacts | None] = {}
        for row in rows:
            if row.case_id not in cases:
                crow = _case_row(s, row.case_id)
                cases[row.case_id] = (CaseFacts(crow.case_id, crow.subject_pseudonym or "",
                                                crow.age_band, json.loads(crow.roles or "{}"))
                                      if crow else None)
        cons = s.execute(select(consents).where(consents.c.case_id.in_(list(cases)))).all()
        for row in rows:
            case = cases[row.case_id]
            subject_consents = [{"given_by": c.given_by, "scope": json.loads(c.scope),
                                 "document_ref": c.document_ref}
                                for c in cons if c.kind == "subject" and c.case_id == row.case_id]
            provider_consents = [{"item_id": c.item_id, "given_by": c.given_by,
                                  "recipient": c.recipient, "document_ref": c.document_ref}
                                 for c in cons if c.kind == "provider_written"
                                 and c.item_id == row.item_id]
            facts = ItemFacts(row.item_id, row.case_id, row.provider, row.category,
                              row.classification, row.legal_basis, bool(row.retracted),
                              _terms_of(row))
            inp = model.disclosure_input(
                action=req.action, purpose=req.purpose, now=now, recipient=recipient,
                item=facts, case=case, subject_consents=subject_consents,
                provider_consents=provider_consents, break_glass=req.break_glass)
            decision = _decide(deps.policy, DISCLOSURE_POLICY, inp)
            obligations = _obligations(decision)
            allowed = decision.allow is True
            reasons = [model.scrub(r, secrets, "[justification: see review]")
                       for r in decision.reasons]
            unknown = sorted({o.get("type", "?") for o in obligations}
                             - model.KNOWN_OBLIGATIONS) if allowed else []
            if allowed and (row.erased or row.content_sealed is None):
                allowed, reasons = False, reasons + [
                    "The item's content was erased on the subject's request (Bijlage 3); "
                    "nothing to release."]
            if unknown:
                allowed, reasons = False, reasons + [
                    f"The decision carries obligations this service cannot fulfil ({', '.join(unknown)}); "
                    "withheld (fail closed)."]
            emergency = allowed and model.has_obligation(obligations, "log_break_glass")
            result = "break_glass" if emergency else ("allowed" if allowed else "denied")
            key = None
            if allowed:
                key = deps.keys.key_for(s, row.case_id, create=False)
                if key is None:
                    raise Unavailable("the case key is not available: nothing released")
            pending.append(_Pending(row, case, decision, obligations, allowed, result, reasons,
                                    key))

    # 2. Log every decision and publish its fact in ONE transaction, before any release.
    activity = deps.register.activity_ref_for(req.purpose)
    records, review_rows = [], []
    try:
        with deps.uow_factory() as uow:
            for p in pending:
                row = p.row
                records.append({
                    "decision_id": p.decision.decision_id, "recorded_at": now,
                    "party": caller.party, "person": caller.person, "role": caller.role,
                    "action": req.action, "purpose": req.purpose, "resource": row.item_id,
                    "recipient": recipient.party,
                    "subject_pseudonym": (p.case.subject_pseudonym if p.case and
                                          p.case.subject_pseudonym else "unknown"),
                    "case_id": row.case_id, "provider": row.provider, "result": p.result,
                    "reasons": p.reasons, "policy_revision": p.decision.revision or "",
                    "trace_id": req.trace_id, "span_id": req.span_id,
                    "processing_activity": activity, "emergency": p.result == "break_glass"})
                uow.emit(events.DisclosureDecided(
                    decision_id=p.decision.decision_id, case_id=row.case_id,
                    item_id=row.item_id, provider=row.provider, recipient_party=recipient.party,
                    purpose=req.purpose, result=p.result,
                    policy_revision=p.decision.revision or "", decided_at=model.rfc3339(now)))
                if p.result == "break_glass":
                    if model.has_obligation(p.obligations, "notify_provider"):
                        uow.emit(events.BreakGlassUsed(
                            decision_id=p.decision.decision_id, case_id=row.case_id,
                            item_id=row.item_id, provider=row.provider,
                            recipient_party=recipient.party))
                    if model.has_obligation(p.obligations, "review"):
                        bg = req.break_glass or {}
                        review_id = f"rev-{uuid.uuid4().hex}"
                        review_rows.append(dict(
                            review_id=review_id, decision_id=p.decision.decision_id,
                            case_id=row.case_id, item_id=row.item_id, provider=row.provider,
                            party=caller.party, person=caller.person,
                            consulted_colleague=bg.get("consulted_colleague", ""),
                            justification_sealed=deps.keys.seal(
                                p.key, bg.get("justification", "").encode(), review_id),
                            client_informed_sealed=deps.keys.seal(
                                p.key, bg.get("client_informed", "").encode(),
                                review_id + ":informed"),
                            created_at=now))
            accesslog.append(uow.session, records)
            if review_rows:
                uow.session.execute(insert(reviews), review_rows)
            uow.commit()
    except (PermissionDenied, InvalidArgument, NotFound):
        raise
    except Exception as exc:  # noqa: BLE001 - log before release: no log, no release
        log.error("access_log_write_failed", error_type=type(exc).__name__,
                  decisions=len(pending))
        raise Unavailable("the access log could not be written: nothing is released "
                          "(log before release)") from exc
    deps.wake_relay()

    # 3. Release: decrypt and apply the obligations (redaction) for the allowed items only.
    released, denied = [], []
    revision = pending[0].decision.revision if pending else ""
    for p in pending:
        row = p.row
        if not p.allowed:
            denied.append(Denied(row.item_id, p.decision.decision_id, p.reasons))
            continue
        try:
            content = deps.keys.open(p.key, row.content_sealed, row.item_id)
            summaries = (json.loads(deps.keys.open(p.key, row.summaries_sealed,
                                                   f"{row.item_id}:summaries"))
                         if row.summaries_sealed else {})
            content, redacted = model.redact(
                content, row.content_type, model.obligation_fields(p.obligations, "redact"),
                summaries)
        except Exception as exc:  # noqa: BLE001 - fail closed, say nothing about content
            log.error("release_failed", item_id=row.item_id, error_type=type(exc).__name__)
            raise Unavailable("the item could not be prepared for release: nothing is "
                              "released") from None
        released.append(Released(row.item_id, row.case_id, row.category, row.provider,
                                 row.content_type, content, redacted, p.decision.decision_id,
                                 p.reasons, p.obligations))
    if not released:
        reasons: list[str] = []
        for d in denied:
            reasons.extend(r for r in d.reasons if r not in reasons)
        raise PermissionDenied(reasons, denied[0].decision_id if denied else "", revision)
    return DisclosureOutcome(released, denied, revision)


# ------------------------------------------------------------------------------------------
# Reviews, access log queries, verification
# ------------------------------------------------------------------------------------------

def list_reviews(uow: UnitOfWork, deps: Deps, case_id: str = "") -> list[dict]:
    q = select(reviews).order_by(reviews.c.created_at, reviews.c.review_id)
    if case_id:
        model.check_id(case_id, "case_id")
        q = q.where(reviews.c.case_id == case_id)
    out = []
    for r in uow.session.execute(q).all():
        key = deps.keys.key_for(uow.session, r.case_id, create=False)
        just = informed = "[erased]"
        if key is not None:
            try:
                just = deps.keys.open(key, r.justification_sealed, r.review_id).decode()
                informed = deps.keys.open(key, r.client_informed_sealed,
                                          r.review_id + ":informed").decode()
            except Exception:  # noqa: BLE001
                just = informed = "[unreadable]"
        out.append(dict(r._mapping, justification=just, client_informed=informed))
    return out


def query_access_log(uow: UnitOfWork, deps: Deps, caller: Caller, *, by: str, value: str,
                     limit: int) -> list[dict]:
    if by == "subject_pseudonym":
        model.check_pseudonym(value, "subject_pseudonym")
    elif by in ("provider", "party"):
        model.check_oin(value, by)
    else:
        raise InvalidArgument("filter", "required: subject_pseudonym, provider or party")
    _require(deps.policy, CONTROL_POLICY, _control_input(
        "query_access_log", caller, filter=by, value=value))
    limit = 1000 if limit <= 0 else min(limit, 1000)
    col = access_log.c[by]
    rows = uow.session.execute(select(access_log).where(col == value)
                               .order_by(access_log.c.seq.desc()).limit(limit)).all()
    return [accesslog.row_to_record(r) for r in rows]


def verify_log(uow: UnitOfWork) -> model.ChainReport:
    return accesslog.verify(uow.session.connection())


# ------------------------------------------------------------------------------------------
# Subject rights (Bijlage 3: access, correction, erasure with reasoned refusals)
# ------------------------------------------------------------------------------------------

REFUSAL_GROUNDS = ("required_by_law", "protection_of_client", "pending_complaint")


def subject_access_report(uow: UnitOfWork, subject_pseudonym: str) -> dict:
    model.check_pseudonym(subject_pseudonym)
    s = uow.session
    case_ids = [r.case_id for r in s.execute(select(case_facts.c.case_id).where(
        case_facts.c.subject_pseudonym == subject_pseudonym)).all()]
    its = s.execute(select(items).where(items.c.case_id.in_(case_ids))
                    .order_by(items.c.provided_at)).all() if case_ids else []
    cons = s.execute(select(consents).where(consents.c.case_id.in_(case_ids))
                     .order_by(consents.c.recorded_at)).all() if case_ids else []
    accesses = [accesslog.row_to_record(r) for r in s.execute(
        select(access_log).where(access_log.c.subject_pseudonym == subject_pseudonym)
        .order_by(access_log.c.seq)).all()]
    reqs = s.execute(select(subject_requests).where(
        subject_requests.c.subject_pseudonym == subject_pseudonym)
        .order_by(subject_requests.c.submitted_at)).all()
    return {"items": its, "consents": cons, "accesses": accesses, "requests": reqs}


def submit_subject_request(uow: UnitOfWork, caller: Caller, *, kind: str,
                           subject_pseudonym: str, case_id: str, item_id: str,
                           document_ref: str) -> str:
    if kind not in ("correction", "erasure"):
        raise InvalidArgument("kind", "required: correction or erasure")
    model.check_pseudonym(subject_pseudonym)
    model.check_ref(document_ref)
    if case_id:
        model.check_id(case_id, "case_id")
    if item_id:
        row = _item_row(uow.session, item_id)
        case_id = case_id or row.case_id
    ref = f"sr-{uuid.uuid4().hex}"
    uow.session.execute(insert(subject_requests).values(
        subject_request_id=ref, kind=kind, subject_pseudonym=subject_pseudonym,
        case_id=case_id or None, item_id=item_id or None, document_ref=document_ref,
        submitted_by_party=caller.party, submitted_at=utcnow()))
    return ref


def decide_subject_request(uow: UnitOfWork, deps: Deps, caller: Caller, *, ref: str,
                           outcome: str, refusal_ground: str, reason: str):
    model.check_subject_request_id(ref)
    s = uow.session
    row = s.execute(select(subject_requests).where(
        subject_requests.c.subject_request_id == ref)).first()
    if row is None:
        raise NotFound("subject request", ref)  # a well-formed id, never free input
    if row.outcome:
        raise FailedPrecondition("decided", "the request was already decided",
                                 subject="subject_request_id")
    if outcome == "refused":
        if refusal_ground not in REFUSAL_GROUNDS:
            raise InvalidArgument("refusal_ground", "a refusal names its ground: "
                                  "required_by_law, protection_of_client or pending_complaint "
                                  "(Bijlage 3)")
        reason = model.check_free_text(reason, "reason")
    elif outcome == "granted":
        if refusal_ground:
            raise InvalidArgument("refusal_ground", "only for a refusal")
        reason = (reason or "").strip()[:2000]
        if row.kind == "erasure" and row.item_id:
            # Erasure of one item: its ciphertext is removed; the access log keeps its
            # pseudonymised record of earlier decisions (NEN 7513).
            s.execute(update(items).where(items.c.item_id == row.item_id).values(
                content_sealed=None, summaries_sealed=None, erased=True, updated_at=utcnow()))
    else:
        raise InvalidArgument("outcome", "required: granted or refused")
    s.execute(update(subject_requests).where(subject_requests.c.subject_request_id == ref)
              .values(outcome=outcome, refusal_ground=refusal_ground or None, reason=reason,
                      decided_by_party=caller.party, decided_by_person=caller.person,
                      decided_at=utcnow()))
    return s.execute(select(subject_requests).where(
        subject_requests.c.subject_request_id == ref)).first()


def list_subject_requests(uow: UnitOfWork, subject_pseudonym: str = ""):
    q = select(subject_requests).order_by(subject_requests.c.submitted_at)
    if subject_pseudonym:
        model.check_pseudonym(subject_pseudonym)
        q = q.where(subject_requests.c.subject_pseudonym == subject_pseudonym)
    return uow.session.execute(q).all()


# ------------------------------------------------------------------------------------------
# Data-breach register
# ------------------------------------------------------------------------------------------

def record_breach(uow: UnitOfWork, caller: Caller, b: Mapping[str, Any]) -> str:
    if b.get("detected_at") is None:
        raise InvalidArgument("breach.detected_at", "required")
    model.check_code(b.get("nature", ""), "breach.nature")
    cats = model.check_codes(b.get("data_categories", ()), "breach.data_categories")
    if not 0 <= int(b.get("subjects_affected", 0)) <= 10_000_000:
        raise InvalidArgument("breach.subjects_affected", "must be 0 or more")
    case_ids = list(b.get("case_ids", ()))
    if len(case_ids) > model.MAX_LIST:
        raise InvalidArgument("breach.case_ids", f"at most {model.MAX_LIST} entries")
    for i, c in enumerate(case_ids):
        model.check_id(c, f"breach.case_ids[{i}]")
    consequences = (b.get("consequences") or "").strip()
    measures = (b.get("measures") or "").strip()
    if len(consequences) > 4000:
        raise InvalidArgument("breach.consequences", "at most 4000 characters")
    measures = model.check_free_text(measures, "breach.measures", limit=4000)
    if b.get("reported_to_authority") and b.get("reported_at") is None:
        raise InvalidArgument("breach.reported_at", "required when reported to the authority")
    breach_id = f"brc-{uuid.uuid4().hex}"
    uow.session.execute(insert(breaches).values(
        breach_id=breach_id, detected_at=b["detected_at"], recorded_at=utcnow(),
        recorded_by_party=caller.party, recorded_by_person=caller.person, nature=b["nature"],
        data_categories=json.dumps(cats), subjects_affected=int(b.get("subjects_affected", 0)),
        case_ids=json.dumps(case_ids), consequences=consequences, measures=measures,
        reported_to_authority=bool(b.get("reported_to_authority")),
        reported_at=b.get("reported_at"), subjects_informed=bool(b.get("subjects_informed"))))
    return breach_id


def list_breaches(uow: UnitOfWork) -> list[dict]:
    rows = uow.session.execute(select(breaches).order_by(breaches.c.recorded_at)).all()
    out = []
    for r in rows:
        d = dict(r._mapping)
        d["data_categories"] = json.loads(d["data_categories"])
        d["case_ids"] = json.loads(d["case_ids"])
        out.append(d)
    return out


# ------------------------------------------------------------------------------------------
# Consumed facts (projections) and the purge
# ------------------------------------------------------------------------------------------

def upsert_case(uow: UnitOfWork, case_id: str, **values) -> None:
    s = uow.session
    values = {k: v for k, v in values.items() if v not in (None, "")}
    if _case_row(s, case_id) is None:
        s.execute(insert(case_facts).values(case_id=case_id, subject_pseudonym=None,
                                            age_band="unknown", nominating_party=None,
                                            opened=False, roles="{}", updated_at=utcnow()))
    if values:
        s.execute(update(case_facts).where(case_facts.c.case_id == case_id)
                  .values(updated_at=utcnow(), **values))


def purge_case(uow: UnitOfWork, deps: Deps, case_id: str) -> None:
    """Casework purged the case (art. 1.2): delete the items, consents and projections and
    destroy the case key (which also makes review justifications unreadable). The access log
    stays: it holds pseudonyms only (NEN 7513)."""
    s = uow.session
    s.execute(delete(items).where(items.c.case_id == case_id))
    s.execute(delete(consents).where(consents.c.case_id == case_id))
    s.execute(delete(case_facts).where(case_facts.c.case_id == case_id))
    s.execute(update(reviews).where(reviews.c.case_id == case_id).values(
        justification_sealed=None, client_informed_sealed=None))
    deps.keys.destroy(s, case_id)
    t = uow.tables
    s.execute(delete(t["command_results"]).where(t["command_results"].c.case_id == case_id))
    s.execute(delete(t["outbox"]).where(t["outbox"].c.case_id == case_id,
                                        t["outbox"].c.sent_at.is_not(None)))
