"""What a subject request does once the controller's privacy officer decided it (Bijlage 3):
the checks of a request's scope and controller on submission, the checks of a decision, and the
effect of a granted erasure, restriction, lifting or correction.

Scope: a request names an item, a case, or neither (everything held about the subject). A
request with an effect is addressed to the controller of what it is about: an item's provider
(art. 16.2), a case's nominating party, on whose behalf the process director keeps the case
(art. 12.3). A subject whose cases were nominated by several parties addresses each of them
(one request per case), so that no privacy officer decides over another controller's data.
"""

from __future__ import annotations

from datetime import datetime

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands, events
from services.disclosure.domain.items import Item
from services.disclosure.domain.oversight import data_controllers, request_controller
from services.disclosure.domain.subject_rights import (
    ANSWERED_KINDS,
    EFFECT_KINDS,
    MAX_REASON,
    PROFESSIONAL_OPINION_CATEGORIES,
    REFUSAL_GROUNDS,
    SubjectRequest,
)
from zorgtafel.kernel import validate
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.purge import drop_dead_letters, drop_stored_answers
from zorgtafel.kernel.uow import utcnow

log = get_logger(__name__)


def controller_of(
    uow: DisclosureUnitOfWork,
    cmd: commands.SubmitSubjectRequest,
    caller: Caller,
    item: Item | None,
    case_id: str,
) -> str:
    """The controller a new request is addressed to (Bijlage 3). Objections and complaints go
    to the controller named, one of what they are about (``_answering_controller``); a request
    with an effect goes to the controller of what it changes, and naming another is refused."""
    if cmd.controller:
        validate.check_oin(cmd.controller, "controller")
    if cmd.kind not in EFFECT_KINDS:
        return _answering_controller(uow, cmd, caller, item, case_id)
    if item is not None:
        owner = item.provider  # art. 16.2: the provider decides on its item
        why = "a request about an item is addressed to its provider (art. 16.2)"
    elif case_id:
        owner = _nominating_party(uow, case_id)
        why = "a request about a case is addressed to the party that nominated it (art. 12.3)"
    else:
        owners = {_nominating_party(uow, c) for c in uow.cases.of_subject(cmd.subject_pseudonym)}
        if len(owners) > 1:
            raise FailedPrecondition(
                "several_controllers",
                "the subject's cases were nominated by several parties: address a request "
                "to each, per case (Bijlage 3, art. 12.3)",
                subject="case_id",
            )
        owner = owners.pop() if owners else (cmd.controller or caller.party)
        why = "a request about everything held of a subject is addressed to the party that nominated the subject's cases (art. 12.3)"
    if cmd.controller and cmd.controller != owner:
        raise InvalidArgument("controller", why)
    return owner


def _answering_controller(
    uow: DisclosureUnitOfWork,
    cmd: commands.SubmitSubjectRequest,
    caller: Caller,
    item: Item | None,
    case_id: str,
) -> str:
    """An objection or complaint goes to the privacy officer (FG) of a party that processes
    what it is about (Bijlage 3): a controller of it (a party that provided or received its
    items, recorded its consents or nominated its case) or a party with a part in its case. A
    party without either is refused: the request would otherwise be its only tie to the
    subject. (Being addressed makes no party a controller either: ``subject_data.export``.)
    Unnamed, it goes to the item's provider (16.2), else the submitter's party when that is
    one of these, else the nominating party (12.3)."""
    addressees = _addressees(uow, cmd.subject_pseudonym, item, case_id)
    if cmd.controller:
        if cmd.controller not in addressees:
            raise InvalidArgument(
                "controller",
                "an objection or complaint is addressed to a party that processes what it is "
                "about: one that provided or received its items, recorded its consents, or has "
                "a part in its case (Bijlage 3)",
            )
        return cmd.controller
    if item is not None:
        return item.provider
    if caller.party in addressees:
        return caller.party
    if case_id:
        return _nominating_party(uow, case_id)
    owners = {_nominating_party(uow, c) for c in uow.cases.of_subject(cmd.subject_pseudonym)}
    if len(owners) != 1:
        raise FailedPrecondition(
            "several_controllers" if owners else "no_controller",
            "name the controller the objection or complaint is addressed to (Bijlage 3): "
            "the subject's cases have several, or none disclosure knows of",
            subject="controller",
        )
    return owners.pop()


def _addressees(
    uow: DisclosureUnitOfWork, subject_pseudonym: str, item: Item | None, case_id: str
) -> set[str]:
    """The parties that process what a request is about: its controllers, counted as the
    subject data export counts them (``oversight.data_controllers``: of an item its provider
    and the parties it reached; of a case, or of every case of the subject, each of those and
    the nominating party), and the parties with a part in its case or cases."""
    case_ids = (
        [item.case_id]
        if item
        else [case_id]
        if case_id
        else uow.cases.of_subject(subject_pseudonym)
    )
    facts = [f for f in (uow.cases.find(c) for c in case_ids) if f is not None]
    parties = {p for f in facts for p in f.parties()}
    if item is not None:
        reads = [
            r
            for r in uow.access_log.every("case_id", item.case_id)
            if r.get("resource") == item.item_id
        ]
        return parties | data_controllers([item.provider], [], (), reads)
    return parties | data_controllers(
        (provider for _, provider in uow.items.providers_of_cases(case_ids)),
        (recorder for _, recorder in uow.consents.recorders_of_cases(case_ids)),
        (f.nominating_party for f in facts),
        [r for c in case_ids for r in uow.access_log.concerned("case_id", c)],
    )


def _nominating_party(uow: DisclosureUnitOfWork, case_id: str) -> str:
    case = uow.cases.find(case_id)
    if case is None or not case.nominating_party:
        raise case_not_known()
    return case.nominating_party


def case_not_known() -> FailedPrecondition:
    """A case disclosure holds no facts of: never nominated here, or purged (the same words)."""
    return FailedPrecondition(
        "case_not_known",
        "the case is not known to disclosure (no nomination received)",
        subject="case_id",
    )


def item_not_known() -> FailedPrecondition:
    """An item disclosure does not hold: never provided here, or gone with its case's purge
    (the same words; never the id typed)."""
    return FailedPrecondition(
        "item_not_known",
        "the item is not held by disclosure (never provided here, or purged with its case)",
        subject="item_id",
    )


def check_scope(cmd: commands.SubmitSubjectRequest, item: Item | None, case_id: str) -> None:
    if cmd.kind == "correction" and item is None:
        raise InvalidArgument("item_id", "a correction names the item to correct")
    if item is not None and cmd.case_id and cmd.case_id != item.case_id:
        raise InvalidArgument("case_id", "is not the case of the item named")


def checked_answer(request: SubjectRequest, cmd: commands.DecideSubjectRequest) -> str:
    """The decision's reason, once its outcome and ground are acceptable: a refusal of a
    request with an effect names a covenant ground (Bijlage 3); an objection or complaint is
    always answered with reasons; every refusal is reasoned."""
    ground = cmd.refusal_ground
    if cmd.outcome not in ("granted", "refused"):
        raise InvalidArgument("outcome", "required: granted or refused")
    if ground and ground not in REFUSAL_GROUNDS:
        raise InvalidArgument("refusal_ground", "not a ground of Bijlage 3")
    if cmd.outcome == "granted" and ground:
        raise InvalidArgument("refusal_ground", "only for a refusal")
    if cmd.outcome == "refused" and request.kind in EFFECT_KINDS and not ground:
        raise InvalidArgument(
            "refusal_ground",
            "a refusal names its ground: required_by_law, protection_of_client, "
            "pending_complaint or professional_opinion (Bijlage 3)",
        )
    if ground == "professional_opinion" and request.kind != "correction":
        raise InvalidArgument("refusal_ground", "professional_opinion refuses only a correction")
    # Required for a refusal and an answer; optional for a grant, but checked all the same:
    # never cut to length nor stored (and answered) unchecked.
    required = cmd.outcome == "refused" or request.kind in ANSWERED_KINDS
    return validate.check_text(
        cmd.reason, "reason", limit=MAX_REASON, required=required, strip=True
    )


def carry_out(uow: DisclosureUnitOfWork, request: SubjectRequest, now: datetime) -> datetime:
    """The effect of a granted request, and the time it is decided at: ``now`` (this
    replica's clock), but for a restriction, its lifting or a case's erasure a time after
    the last restriction decision of each case (and, for an item's, a lifting or an erasure,
    of each item) it changes, read under their row locks, which are taken first
    (``restriction_decided``). Every service applies the newest decision about a case's
    restriction, so the one answered granted here must be the newest: decided at a time read
    before the lock, a restriction could find a lifting decided after it already applied and
    be answered granted without taking effect (GDPR art. 18). Runs in the decision's
    transaction, so the decision and its effect are stored together or not at all (and a
    replayed decision, answered by the command runner, never runs it twice)."""
    kind, scope = request.kind, request.scope()
    if kind == "correction":
        item = _the_subjects_item(uow, request)
        if item is not None and item.category in PROFESSIONAL_OPINION_CATEGORIES:
            raise FailedPrecondition(
                "professional_opinion",
                "professional opinions are not corrected (Bijlage 3): refuse with the ground "
                "professional_opinion, or add the subject's view as a new item",
                subject="subject_request_id",
            )
        if item is not None and not item.erased:
            # An erased item has no content left to correct (nor to release), and its
            # provider is not asked for it again as a corrected version (GDPR art. 17).
            # From now on the old content is never released; the provider is told
            # (ListCorrectionNotices) and provides the corrected version (Provide.supersedes).
            uow.items.mark_superseded(item.item_id, now)
        return now
    if kind not in ("erasure", "restriction", "lift_restriction"):
        return now  # objections and complaints are answered; the answer is the effect
    if scope == "purged":
        # Its case (or its item's) was purged undecided: nothing of it is left to erase,
        # restrict or lift. Unlinked it names no case, but it is no request about everything
        # of the subject: read as one, a lifting lifted (a restriction restricted, an erasure
        # erased) every other case of the subject (GDPR art. 17, 18).
        log.info("subject_request_carried_out", kind=kind, scope=scope, cases=0)
        return now
    if scope == "item":
        item = _the_subjects_item(uow, request)
        if item is None:
            return now  # purged with its case, or now another subject's: nothing to change
        if kind == "erasure":
            # The ciphertexts go; the item's record stays for the access log (NEN 7513).
            uow.items.erase_content(item.item_id, now)
        else:
            # After the item's last such decision, under its row lock (taken first), as a
            # case's: the one carried out last is the one in force, and decided last.
            now = uow.items.restriction_decided([item.item_id], now)
            uow.items.set_restricted([item.item_id], now if kind == "restriction" else None, now)
        return now
    case_ids = (
        [request.case_id] if scope == "case" and request.case_id else controlled_cases(uow, request)
    )
    if kind == "erasure":
        # The cases' rows first (case id order), then their items' (item id order), as a
        # lifting takes them: an erasure that wrote the items first and the case's row last
        # deadlocked with a lifting of the same case at once. Decided after the cases' and
        # their items' last restriction decisions, read under those locks: an erasure that
        # waited for a lifting is not stamped before it, whatever this replica's clock says.
        now = uow.cases.restriction_decided(case_ids, now)  # the cases locked from here on
        # Only those still known under their locks: a case purged while this waited for them
        # (read before its purge) is gone, and erasing it would write its row back.
        case_ids = _the_subjects_cases(uow, request, case_ids)
        uow.items.lock_of_cases(case_ids)
        now = uow.items.restriction_decided([i.item_id for i in uow.items.of_cases(case_ids)], now)
    else:
        now = uow.cases.restriction_decided(case_ids, now)  # the cases locked from here on
        case_ids = _the_subjects_cases(uow, request, case_ids)
    if kind == "lift_restriction":
        # A lifting ends the items' own restrictions too: decided after each item's last one,
        # their rows locked after the cases' (an item's own decision locks only its row).
        now = uow.items.restriction_decided([i.item_id for i in uow.items.of_cases(case_ids)], now)
    for case_id in case_ids:
        if kind == "erasure":
            erase_case(uow, case_id, now)
        else:
            if not uow.cases.set_restricted(case_id, kind == "restriction", now):
                continue  # no longer known (purged with its facts): nothing left to restrict
            # Casework holds the rest of the case (its minutes, plan and the subject's section).
            uow.emit(
                events.CaseRestrictionChanged(
                    case_id=case_id,
                    restricted=kind == "restriction",
                    subject_request_id=request.subject_request_id,
                    changed_at=now.isoformat(),
                )
            )
            if kind == "lift_restriction":
                # A lifting ends every restriction in its scope, the items' own too.
                uow.items.set_restricted(
                    [i.item_id for i in uow.items.of_cases([case_id])], None, now
                )
    if kind == "erasure" and case_ids:
        # What else is held of these cases (casework's minutes, plan and timeline; intake's
        # nomination with the identity) goes too: casework and intake erase the cases named,
        # the one case of a case's erasure or every case of the subject's (GDPR art. 17).
        uow.emit(
            events.SubjectErased(
                subject_request_id=request.subject_request_id,
                subject_pseudonym=request.subject_pseudonym,
                case_ids=tuple(sorted(case_ids)),
                controller=request.controller or request.submitted_by_party,
                erased_at=now.isoformat(),
            )
        )
    log.info("subject_request_carried_out", kind=kind, scope=scope, cases=len(case_ids))
    return now


def _the_subjects_cases(
    uow: DisclosureUnitOfWork, request: SubjectRequest, case_ids: list[str]
) -> list[str]:
    """Of ``case_ids``, read before their locks, those still known and still the request's
    subject's once locked: a case purged meanwhile is gone (erasing it would write its row
    back), and one told since as another subject's is not this subject's data (a request is
    the subject's, ``_same_subject`` on submission; GDPR art. 17, 18)."""
    facts = (uow.cases.find(c) for c in case_ids)
    return [
        f.case_id
        for f in facts
        if f is not None and f.subject_pseudonym == request.subject_pseudonym
    ]


def _the_subjects_item(uow: DisclosureUnitOfWork, request: SubjectRequest) -> Item | None:
    """The item a request is about, while its case is the request's subject's (None: purged
    with its case, or its case told since as another subject's)."""
    item = uow.items.find(request.item_id or "")
    if item is None or not _the_subjects_cases(uow, request, [item.case_id]):
        return None
    return item


def controlled_cases(uow: DisclosureUnitOfWork, request: SubjectRequest) -> list[str]:
    """The cases a request about everything held of the subject acts on: those of the
    subject its controller nominated (art. 12.3). It was addressed to the one party that
    nominated all of them when it was made (``controller_of``), but a case another party
    nominated before it is decided is that party's to decide on, by a request of its own
    (Bijlage 3: no privacy officer decides over another controller's data)."""
    controller = request_controller(request)
    cases = (uow.cases.find(c) for c in uow.cases.of_subject(request.subject_pseudonym))
    return [f.case_id for f in cases if f is not None and f.nominating_party == controller]


def erase_case(uow: DisclosureUnitOfWork, case_id: str, now: datetime | None = None) -> None:
    """Everything readable of a case goes (Bijlage 3, GDPR art. 17): the items' content and
    summaries, the overrides' texts, the case's consents, the stored answers of its commands
    (a replay hands nothing erased back: it is refused, ``request_erased``) and its parked
    events (dead letters); then the case key is destroyed (crypto-shredding, as a purge does:
    backups hold only ciphertexts). The item records and the access log stay: identifiers and
    pseudonyms only (NEN 7513). No new item is accepted. The caller holds the case's row lock and then its items' (``carry_out``),
    the order every writer of a case takes them."""
    now = now or utcnow()
    uow.items.erase_case_content(case_id, now)
    uow.reviews.erase_case(case_id)
    uow.consents.delete_case(case_id)
    uow.keys.destroy(uow.session, case_id)
    drop_stored_answers(uow.session, uow.tables, case_id, state="erased")
    drop_dead_letters(uow.session, uow.tables, case_id)  # a parked event of it keeps its data
    uow.cases.upsert(case_id, erased_at=now)
