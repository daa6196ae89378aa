"""Disclosure: gather the facts, let ``zorgtafel.disclosure`` decide every item, log every
decision (same transaction as its events), then release (art. 16.2, 8.4c, 9.2, 12.2f and the
safety override of Bijlage 3).

Log before release: facts are gathered and decided by reads only (``uow.reads_only``: on
PostgreSQL without a transaction of their own, so a request's one transaction is its log's);
then all access-log records, their DISCLOSURE_DECIDED (and BREAK_GLASS_USED) outbox rows, the
reviews and the claim of a new request id are written in ONE transaction (the group commit
concurrent requests share); only after it commits is content decrypted, redacted per the
obligations and returned. A failed log write answers UNAVAILABLE and releases nothing.

A request id keeps no answer: a repeat is decided again on the facts of its own time, logged as
a decision of its own (its own DISCLOSURE_DECIDED, each decision's events once) and released per
that new decision; the id with another request, or from a colleague, is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime
from typing import Any, Mapping, NoReturn

from sqlalchemy.exc import IntegrityError

from services.disclosure.adapters.repository import ItemsOfCases
from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands
from services.disclosure.domain.consents import provider_consent_facts, subject_consent_facts
from services.disclosure.domain.decisions import (
    DISCLOSURE_POLICY,
    KNOWN_OBLIGATIONS,
    Denied,
    DisclosureOutcome,
    Recipient,
    Released,
    disclosure_input,
    has_obligation,
    obligation_fields,
    obligations_of,
    scrub,
)
from services.disclosure.domain.items import Item, Terms
from services.disclosure.domain.redaction import redact
from services.disclosure.service_layer.deps import Deps
from services.disclosure.service_layer.handlers.decision_log import (
    JUSTIFICATION_MARKER,
    Decided,
    log_decisions,
)
from services.disclosure.service_layer.handlers.requests import checked_request
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.commands import refuse_if_purged, validate_request_id
from zorgtafel.kernel.errors import FailedPrecondition, NotFound, PermissionDenied, Unavailable
from zorgtafel.kernel.logging import error_fields, get_logger
from zorgtafel.kernel.parties import UNKNOWN as UNKNOWN_PARTY
from zorgtafel.kernel.uow import utcnow

log = get_logger(__name__)


def _decide_all(
    deps: Deps,
    uow: DisclosureUnitOfWork,
    cmd: commands.RequestDisclosure,
    recipient: Recipient,
    requester: Recipient,
    now: datetime,
) -> list[Decided]:
    """Gather the facts (reads only) and ask the policy about every item. Items asked with
    their case are bound to it (casework's pre-read set of a case, art. 12.2f): one not of that
    case, unknown or another case's alike, is answered as the case answers for a category it
    holds none of, never decided on (nor logged for) a case the request was not about."""
    # Each fact is read once for the whole request, however many items and cases: the items
    # with their cases, the cases' keys (wrapped) and the requester's functions on the roster
    # in one statement, the consents in another.
    asker = (requester.party, requester.person)
    if cmd.item_ids:
        try:
            of_cases = uow.items.get_many_of_cases(
                cmd.item_ids, case_id=cmd.case_id, functions_of=asker
            )
        except NotFound as missing:
            # Asked by id alone, an item not held is no case's: no one has a part in it, so it
            # is refused as someone else's item is to an outsider (no oracle, art. 8.4c).
            recipient, requester = _with_functions(deps, uow, None, recipient, requester)
            return [_not_in_the_case(deps, uow, cmd, recipient, requester, now, missing)]
    else:
        of_cases = uow.items.of_case_with_case(cmd.case_id, cmd.category, functions_of=asker)
        if not of_cases.items:
            missing = NotFound("items", "of the requested case and category")
            recipient, requester = _with_functions(deps, uow, None, recipient, requester)
            return [_not_in_the_case(deps, uow, cmd, recipient, requester, now, missing)]
    recipient, requester = _with_functions(deps, uow, of_cases.functions, recipient, requester)
    found, cases = of_cases.items, of_cases.cases
    consents = uow.consents.of_cases(list(cases))
    asked = _asked(cmd, now, recipient, requester)
    secrets = _secrets(cmd)
    decided = []
    for item in found:
        case = cases[item.case_id]
        facts = disclosure_input(
            **asked,
            item=item.facts(),
            case=case,
            subject_consents=subject_consent_facts(consents, item.case_id),
            provider_consents=provider_consent_facts(consents, item.item_id),
        )
        decision = deps.policy.decide(DISCLOSURE_POLICY, facts)
        obligations = obligations_of(decision.obligations)
        allowed = decision.allow is True
        reasons = [scrub(r, secrets, JUSTIFICATION_MARKER) for r in decision.reasons]
        unknown = (
            sorted({o.get("type", "?") for o in obligations} - KNOWN_OBLIGATIONS) if allowed else []
        )
        if allowed and not item.readable:
            allowed, reasons = (
                False,
                reasons
                + [
                    "The item's content was erased on the subject's request (Bijlage 3); "
                    "nothing to release."
                ],
            )
        if unknown:
            allowed, reasons = (
                False,
                reasons
                + [
                    f"The decision carries obligations this service cannot fulfil "
                    f"({', '.join(unknown)}); withheld (fail closed)."
                ],
            )
        emergency = allowed and has_obligation(obligations, "log_break_glass")
        result = "break_glass" if emergency else ("allowed" if allowed else "denied")
        decided.append(
            Decided(
                item,
                case,
                decision,
                obligations,
                allowed,
                result,
                tuple(reasons),
                None,
                # The engine digested this very input (canonical JSON) already: its digest, bare.
                _digest_of(decision) or input_digest(facts),
            )
        )
    return _with_keys(uow, decided, of_cases)


def _with_functions(
    deps: Deps,
    uow: DisclosureUnitOfWork,
    functions: tuple[str, ...] | None,
    recipient: Recipient,
    requester: Recipient,
) -> tuple[Recipient, Recipient]:
    """The requester with the functions the roster says they hold (read beside the items, or,
    when no item row came back to carry them, on their own), and the recipient alike when the
    requester receives (all but a third-party release). Until then the requester holds none."""
    if functions is None:
        functions = tuple(
            deps.roster.functions(requester.party, requester.person, session=uow.session)
        )
    held = replace(requester, functions=functions)
    return (held if recipient is requester else recipient), held


def _with_keys(
    uow: DisclosureUnitOfWork, decided: list[Decided], of_cases: ItemsOfCases
) -> list[Decided]:
    """The allowed decisions with their case's key (unwrapped for those only); a case whose
    key is gone (purged or erased) is final, as ``CaseKeys.get`` says."""
    allowed = {d.item.case_id for d in decided if d.allowed}
    if not allowed:
        return decided
    keys = uow.keys.unwrap_all({c: of_cases.wrapped_keys[c] for c in allowed})
    return [replace(d, key=keys[d.item.case_id]) if d.allowed else d for d in decided]


def _asked(
    cmd: commands.RequestDisclosure, now: datetime, recipient: Recipient, requester: Recipient
) -> dict[str, Any]:
    """The facts every decision of one request shares: what is asked, for which purpose, when,
    by whom, for whom, and a break-glass if one is invoked."""
    return {
        "action": cmd.action,
        "purpose": cmd.purpose,
        "now": now,
        "recipient": recipient,
        "requester": requester,
        "break_glass": cmd.break_glass.as_facts() if cmd.break_glass else None,
    }


def _secrets(cmd: commands.RequestDisclosure) -> list[str]:
    """Text never repeated in a reason: a break-glass justification."""
    return [cmd.break_glass.justification] if cmd.break_glass else []


def _not_in_the_case(
    deps: Deps,
    uow: DisclosureUnitOfWork,
    cmd: commands.RequestDisclosure,
    recipient: Recipient,
    requester: Recipient,
    now: datetime,
    missing: NotFound,
) -> Decided:
    """The case holds no item of the asked category (or none at all, or is unknown), or not
    an item asked with it: ``missing`` (NOT_FOUND) only to a person with a part in the case, as
    the policy decides it. Anyone else is refused as for an item of the case (the policy gives
    them the same reasons: only that they have no part), and the refusal is logged like theirs,
    for the case and no item; so no one outside a case learns from the answer which categories
    or items it holds, nor whether it exists (art. 8.4c, ADR 0005)."""
    case = uow.cases.find(cmd.case_id)
    # No item: no provider, no terms, nothing released whatever the policy says.
    absent = Item(
        item_id="",
        case_id=cmd.case_id,
        provider="",
        provided_by_person="",
        category=cmd.category,
        classification="",
        legal_basis="",
        content_type="",
        terms=Terms(),
        retracted=False,
        erased=True,
        provided_at=now,
    )
    facts = disclosure_input(
        **_asked(cmd, now, recipient, requester),
        item=absent.facts(),
        case=case,
        subject_consents=[],
        provider_consents=[],
    )
    decision = deps.policy.decide(DISCLOSURE_POLICY, facts)
    if decision.allow is True or decision.result.get("requester_has_part") is True:
        raise missing
    reasons = tuple(scrub(r, _secrets(cmd), JUSTIFICATION_MARKER) for r in decision.reasons)
    return Decided(
        absent,
        case,
        decision,
        [],
        False,
        "denied",
        reasons,
        None,
        _digest_of(decision) or input_digest(facts),
    )


def _release(
    uow: DisclosureUnitOfWork, decided: list[Decided], relayed: bool = False
) -> DisclosureOutcome:
    """Decrypt and apply the obligations (redaction) for the allowed items only.

    A refused item its requester (with a part in the case) does not need is marked
    ``outside_need``; ``relayed`` (a pre-read, which casework asks on the reader's behalf and
    shows the reader) its reasons then name nothing of it either (its category, the provider's
    terms): casework tells the reader nothing of such an item (art. 8.4c)."""
    released, denied = [], []
    revision = decided[0].decision.revision if decided else ""
    for d in decided:
        item = d.item
        if not d.allowed or d.key is None:
            outside = not d.allowed and _not_needed(d)
            reasons = (OUTSIDE_NEED,) if outside and relayed else d.reasons
            denied.append(Denied(item.item_id, d.decision.decision_id, reasons, outside))
            continue
        try:
            content, summaries = uow.items.open(item, d.key)
            content, redacted = redact(
                content, item.content_type, obligation_fields(d.obligations, "redact"), summaries
            )
        except Exception as exc:  # noqa: BLE001 - fail closed, say nothing about content
            log.error("release_failed", item_id=item.item_id, error_type=type(exc).__name__)
            raise Unavailable(
                "the item could not be prepared for release: nothing is released"
            ) from None
        released.append(
            Released(
                item.item_id,
                item.case_id,
                item.category,
                item.provider,
                item.content_type,
                content,
                tuple(redacted),
                d.decision.decision_id,
                d.reasons,
                tuple(d.obligations),
            )
        )
    if not released:
        reasons: list[str] = []
        for den in denied:
            reasons.extend(r for r in den.reasons if r not in reasons)
        outside = bool(denied) and all(den.outside_need for den in denied)
        raise PermissionDenied(
            reasons,
            denied[0].decision_id if denied else "",
            revision,
            policy=DISCLOSURE_POLICY,
            flags={"outside_need": "true"} if outside else None,
        )
    return DisclosureOutcome(tuple(released), tuple(denied), revision)


def request_disclosure(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.RequestDisclosure, caller: Caller
) -> DisclosureOutcome:
    cmd = checked_request(cmd, caller.person)
    # Until the log is written everything here reads: the facts, then the group commit's one
    # transaction writes (``log_decisions``).
    uow.reads_only()
    claimed = False
    if cmd.request_id:
        validate_request_id(cmd.request_id)
        claimed = _request_id_claimed(uow, cmd, caller)
    now = utcnow()
    # The requester is the caller as the party projection and the roster know them (ADR 0005);
    # the recipient is the requester, except for a third-party release (art. 9.2). The caller's
    # status is the one the call was authorised with (the kernel's party projection, kept by
    # governance's events); a caller the projection does not know is looked up in the table.
    caller_status = (
        caller.party_status
        if caller.party_status != UNKNOWN_PARTY
        else uow.parties.status(caller.party)
    )
    # Its functions (the roster) are read with the items (``_with_functions``): none till then.
    requester = Recipient(
        party=caller.party,
        is_party=caller_status is not None,
        party_status=caller_status or "unknown",
        role=caller.role,
        person=caller.person,
        authenticated_by=caller.authenticated_by,
    )
    recipient = requester
    if cmd.action == "third_party_release":
        status = uow.parties.status(cmd.third_party)
        recipient = Recipient(
            party=cmd.third_party,
            is_party=status is not None,
            party_status=status or "unknown",
            role="",
            person="",
        )
    decided = _decide_all(deps, uow, cmd, recipient, requester, now)
    # End the read transaction: the log, the events, the reviews and the claim of a new request
    # id are written in the group commit's one transaction (on SQLite a transaction whose
    # snapshot predates another writer's commit could not write anyway).
    uow.rollback()
    claim = None
    if cmd.request_id and not claimed:
        case_id = decided[0].item.case_id if decided else ""

        def claim(batch: DisclosureUnitOfWork) -> None:
            batch.answers.add(caller.party, cmd.request_id, cmd.request_digest, case_id)

    for also in (claim, None):
        try:
            log_decisions(deps, cmd, caller, recipient, now, decided, also=also)
            break
        except IntegrityError as exc:
            # A concurrent copy claimed the id first and nothing of this one was written: the
            # same request is logged (once more, without the claim) as any repeat, its
            # decisions as fresh; another request with the id is refused.
            if also is None or not _request_id_claimed(uow, cmd, caller):
                _log_failed(exc, decided)
        except Exception as exc:  # noqa: BLE001 - log before release: no log, no release
            _log_failed(exc, decided)
    shown = _shown(cmd, decided)
    if not shown:
        raise NotFound("items", "of the requested case and category")
    return _release(uow, shown, relayed=cmd.action == "pre_read")


def _shown(cmd: commands.RequestDisclosure, decided: list[Decided]) -> list[Decided]:
    """What the answer tells of the decisions (all of them are logged): asked for a case's items
    (of a category or all), a person with a part in the case hears nothing of an item its party
    does not need, neither released nor refused: its id, its category and the provider's terms
    are case information it has no need for (art. 8.4c). A case holding only such items is
    answered as one holding none of the category. Items asked by id are answered as decided,
    but for such an item (``_as_never_given``); every refusal of someone without a part too."""
    if cmd.item_ids:
        _as_never_given(cmd, decided)
        return decided
    return [d for d in decided if d.allowed or not _not_needed(d)]


def _as_never_given(cmd: commands.RequestDisclosure, decided: list[Decided]) -> None:
    """Asked by item id, a person with a part in the case is told of an item its party does not
    need what it is told of an id that names no item (``_not_in_the_case``): with its case
    NOT_FOUND, by the id alone the refusal of a case nobody has a part in, whose reasons the
    item's own decision gives (``unknown_item_reasons``), so the answer costs the one decision
    an unknown id costs and names neither the item's category nor the provider's terms
    (art. 8.4c, 15.1); the decision itself is logged as decided. Not for a pre-read, which
    casework relays and marks by ``outside_need`` (it leaves such an item out of the set)."""
    if cmd.action == "pre_read":
        return
    for d in decided:
        if d.allowed or not _not_needed(d):
            continue
        if cmd.case_id:
            raise NotFound("item", d.item.item_id)
        reasons = [str(r) for r in d.decision.result.get("unknown_item_reasons") or ()]
        raise PermissionDenied(
            reasons, d.decision.decision_id, d.decision.revision, policy=DISCLOSURE_POLICY
        )


OUTSIDE_NEED = "Not within the information need of the requester's party in this case (art. 8.4c)."


def _not_needed(d: Decided) -> bool:
    result = d.decision.result
    return result.get("requester_has_part") is True and result.get("requester_needs_item") is False


def _log_failed(exc: Exception, decided: list[Decided]) -> NoReturn:
    log.error("access_log_write_failed", **error_fields(exc), decisions=len(decided))
    raise Unavailable(
        "the access log could not be written: nothing is released (log before release)"
    ) from exc


def _request_id_claimed(
    uow: DisclosureUnitOfWork, cmd: commands.RequestDisclosure, caller: Caller
) -> bool:
    """Whether this request id was used before, by this person for this very request. A
    request id keeps no answer: every repeat is decided again on the facts of its own time and
    logged as a decision of its own, so nothing is ever released on an earlier decision
    (art. 16.2, log before release). The id with another request, or from a colleague (the
    digest names the person), is refused (ADR 0005)."""
    digest = uow.answers.find(caller.party, cmd.request_id)
    if digest is None:
        # Its claim went with its case (purged, erased): refused as every command's replay is.
        refuse_if_purged(uow, caller.party, cmd.request_id)
        return False
    if digest != cmd.request_digest:
        raise FailedPrecondition(
            "request_id_used",
            "request_id was already used for a different request",
            subject="request_id",
        )
    return True


def input_digest(facts: Mapping[str, Any]) -> str:
    """SHA-256 of the policy input: the log says which facts were decided on, not the facts."""
    body = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _digest_of(decision: Any) -> str:
    """The decision's own ``sha256:<hex>`` of its input as bare hex ("" when it has none): the
    same canonical JSON as ``input_digest``, so the same value without hashing twice."""
    digest = getattr(decision, "input_digest", "")
    if isinstance(digest, str) and digest.startswith("sha256:") and len(digest) == 71:
        return digest.removeprefix("sha256:")
    return ""
