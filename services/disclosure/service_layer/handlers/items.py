"""Items and their usage terms (art. 16.2): a party with a part in an open case provides
(art. 15.1, 8.4c); the provider changes its terms, retracts and provides a corrected version
that supersedes an item (Bijlage 3); only the provider may (all decided by
``zorgtafel.disclosure.control``)."""

from __future__ import annotations

import uuid

from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain import commands, events
from services.disclosure.domain.decisions import CONTROL_POLICY, control_input
from services.disclosure.domain.items import (
    CLASSIFICATIONS,
    LEGAL_BASES,
    Item,
    check_item_id,
    check_summary_fields_fit,
    validate_content,
    validate_terms,
)
from services.disclosure.service_layer.deps import Deps
from zorgtafel.kernel import validate
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.uow import utcnow


def provide(deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.Provide, caller: Caller) -> str:
    validate.check_id(cmd.case_id, "case_id")
    validate.check_code(cmd.category, "category")
    if cmd.classification not in CLASSIFICATIONS:
        raise InvalidArgument("classification", "required: internal, confidential or secret")
    if cmd.legal_basis not in LEGAL_BASES:
        raise InvalidArgument("legal_basis", "required: one of " + ", ".join(LEGAL_BASES))
    terms = validate_terms(cmd.terms)
    validate_content(cmd.content, cmd.content_type, terms, cmd.field_summaries)
    case = uow.cases.find(cmd.case_id, hold=True)
    # The policy first (art. 15.1, 8.4c): only a party with a part in the case provides for it,
    # while it is open. A case disclosure does not know has no parties, so it is refused with
    # the same words as a case the caller has no part in: an outsider learns nothing of either.
    deps.policy.require(
        CONTROL_POLICY,
        control_input("provide", caller, case=case, case_id=cmd.case_id),
    )
    if case is None:  # permitted only with the case's facts: never here
        raise FailedPrecondition(
            "case_not_known", "the case is not known to disclosure", subject="case_id"
        )
    if case.erased:
        # The subject's erasure of the case was granted (Bijlage 3): nothing is added back.
        raise FailedPrecondition(
            "case_erased",
            "the subject's erasure of this case was granted; no item is accepted for it",
            subject="case_id",
        )
    superseded = _superseded(deps, uow, cmd, caller)
    # Normally created when the nomination arrived (on the consumer's single thread); a
    # concurrent first creation here collides and is answered by the command runner.
    key = uow.keys.get_or_create(uow.session, cmd.case_id)
    item = Item(
        item_id=f"itm-{uuid.uuid4().hex}",
        case_id=cmd.case_id,
        provider=caller.party,
        provided_by_person=caller.person,
        category=cmd.category,
        classification=cmd.classification,
        legal_basis=cmd.legal_basis,
        content_type=cmd.content_type,
        terms=terms,
        retracted=False,
        erased=False,
        provided_at=utcnow(),
        supersedes=superseded.item_id if superseded else None,
    )
    uow.items.add(item, key, cmd.content, cmd.field_summaries)
    if superseded is not None:
        # The old version is never released again (Bijlage 3, GDPR art. 16).
        uow.items.mark_superseded(superseded.item_id, item.provided_at, by=item.item_id)
    uow.emit(
        events.ItemProvided(
            item_id=item.item_id,
            case_id=item.case_id,
            provider=item.provider,
            category=item.category,
        )
    )
    return item.item_id


def _provided_or_refused(
    deps: Deps, uow: DisclosureUnitOfWork, operation: str, item_id: str, caller: Caller
) -> Item:
    """The item, once ``zorgtafel.disclosure.control`` let the caller do ``operation`` to it as
    its provider (art. 16.2). An item id that names no item is decided as an item someone else
    provided (no provider): refused with the same words, so that an id tells an outsider
    nothing, not even whether the item exists (art. 8.4c, ADR 0005)."""
    item = uow.items.find(item_id)
    deps.policy.require(
        CONTROL_POLICY,
        control_input(operation, caller, item_id=item_id, provider=item.provider if item else ""),
    )
    if item is None:  # permitted only as the item's provider: never here
        raise NotFound("item", "with this item_id")
    return item


def _superseded(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.Provide, caller: Caller
) -> Item | None:
    """The item a corrected version replaces: the provider's own (art. 16.2, decided by
    ``zorgtafel.disclosure.control``), of the same case, not yet replaced by another version."""
    if not cmd.supersedes:
        return None
    old = _provided_or_refused(
        deps, uow, "supersede", check_item_id(cmd.supersedes, "supersedes"), caller
    )
    if old.case_id != cmd.case_id:
        raise InvalidArgument("supersedes", "names an item of another case")
    if old.erased:
        # The subject's erasure of it was granted: its content does not come back as a version.
        raise FailedPrecondition(
            "item_erased",
            "the subject's erasure of the item was granted; provide a new item, not a version of it",
            subject="supersedes",
        )
    if old.superseded_by:
        raise FailedPrecondition(
            "already_superseded",
            "the item was already replaced by a corrected version; correct that one",
            subject="supersedes",
        )
    return old


def set_usage_terms(
    deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.SetUsageTerms, caller: Caller
) -> Item:
    """Art. 16.2: only the provider changes its terms (decided by policy)."""
    item = _provided_or_refused(deps, uow, "set_usage_terms", check_item_id(cmd.item_id), caller)
    terms = validate_terms(cmd.terms)
    check_summary_fields_fit(item.content_type, terms)
    uow.items.set_terms(item.item_id, terms, utcnow())
    return uow.items.get(item.item_id)


def retract(deps: Deps, uow: DisclosureUnitOfWork, cmd: commands.Retract, caller: Caller) -> Item:
    """Art. 16.2: only the provider retracts (decided by policy); a retracted item is never
    shown again. Retracting twice is a no-op."""
    item = _provided_or_refused(deps, uow, "retract", check_item_id(cmd.item_id), caller)
    if not item.retracted:
        uow.items.retract(item.item_id, utcnow())
        uow.emit(
            events.ItemRetracted(item_id=item.item_id, case_id=item.case_id, provider=item.provider)
        )
    return uow.items.get(item.item_id)
