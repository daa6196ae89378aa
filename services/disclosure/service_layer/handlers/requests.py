"""The checks of a disclosure or break-glass request before anything is decided: items, purpose,
recipient, and the safety override's justification (Bijlage 3)."""

from __future__ import annotations

from datetime import date, timedelta

from services.disclosure.domain import commands
from services.disclosure.domain.decisions import (
    ACTIONS,
    MAX_BREAK_GLASS_TEXT,
    MAX_ITEMS_PER_REQUEST,
)
from services.disclosure.domain.items import check_item_id
from services.disclosure.domain.notices import MAX_INFORM_DELAY_DAYS, NOT_YET, STATUSES
from zorgtafel.kernel import validate
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import utcnow

log = get_logger(__name__)


def checked_break_glass(bg: commands.BreakGlass, requester: str = "") -> commands.BreakGlass:
    """``requester``: the caller's person id; the colleague consulted must be another person
    (Bijlage 3), also in another case."""
    justification = validate.check_worded(
        bg.justification,
        "justification",
        "required: why the safety override is needed",
        limit=MAX_BREAK_GLASS_TEXT,
    )
    colleague = (bg.consulted_colleague or "").strip()
    if not colleague:
        raise InvalidArgument(
            "consulted_colleague",
            "required: the colleague consulted before the safety override (Bijlage 3)",
        )
    validate.check_person(colleague, "consulted_colleague")
    if requester and validate.same_person(colleague, requester):
        raise InvalidArgument(
            "consulted_colleague",
            "must be a colleague other than the requester (Bijlage 3, safety override)",
        )
    # Bijlage 3: the client is informed of the override; the caller says how, or why not yet
    # and by when. The status is asked apart from the text, so nothing is left to read into it.
    informed = validate.check_worded(
        bg.client_informed,
        "client_informed",
        "required: how the client was told, or why not",
        limit=MAX_BREAK_GLASS_TEXT,
    )
    if bg.client_informed_status not in STATUSES:
        raise InvalidArgument(
            "client_informed_status",
            "required: informed (the client was told) or not_yet (with the date by which)",
        )
    by = bg.client_to_be_informed_by
    if bg.client_informed_status == NOT_YET:
        if by is None:
            raise InvalidArgument(
                "client_to_be_informed_by",
                "required when the client is not yet informed: the date by which (YYYY-MM-DD)",
            )
        check_promised_date(by, utcnow().date())
    elif by is not None:
        raise InvalidArgument(
            "client_to_be_informed_by", "only when the client is not yet informed"
        )
    return commands.BreakGlass(justification, colleague, informed, bg.client_informed_status, by)


def check_promised_date(by: date, today: date) -> None:
    if by < today:
        raise InvalidArgument("client_to_be_informed_by", "not in the past")
    if by > today + timedelta(days=MAX_INFORM_DELAY_DAYS):
        raise InvalidArgument(
            "client_to_be_informed_by", f"at most {MAX_INFORM_DELAY_DAYS} days ahead"
        )


def checked_request(
    cmd: commands.RequestDisclosure, requester: str = ""
) -> commands.RequestDisclosure:
    break_glass = checked_break_glass(cmd.break_glass, requester) if cmd.break_glass else None
    if cmd.action not in ACTIONS:
        raise InvalidArgument(
            "action", "required: read, pre_read, third_party_release or onward_share"
        )
    validate.check_code(cmd.purpose, "purpose")
    if cmd.item_ids:
        if len(cmd.item_ids) > MAX_ITEMS_PER_REQUEST:
            raise InvalidArgument("item_ids", f"at most {MAX_ITEMS_PER_REQUEST} items")
        for i, item_id in enumerate(cmd.item_ids):
            check_item_id(item_id, f"item_ids[{i}]")
        # With item_ids, a case_id binds them to that case (an item not of it is answered as
        # one not held); a category selects a case's items, so it goes with case_id alone.
        if cmd.case_id:
            validate.check_id(cmd.case_id, "case_id")
        if cmd.category:
            raise InvalidArgument("category", "only with case_id and without item_ids")
    else:
        validate.check_id(cmd.case_id, "case_id")
        if cmd.category:
            validate.check_code(cmd.category, "category")
    if cmd.action == "third_party_release":
        # A third party (art. 1.8) is an organisation identified by its OIN.
        validate.check_oin(cmd.third_party, "third_party")
    elif cmd.third_party:
        raise InvalidArgument("third_party", "only for action third_party_release")
    return commands.RequestDisclosure(
        action=cmd.action,
        purpose=cmd.purpose,
        item_ids=cmd.item_ids,
        case_id=cmd.case_id,
        category=cmd.category,
        third_party=cmd.third_party,
        break_glass=break_glass,
        trace_id=cmd.trace_id,
        span_id=cmd.span_id,
        request_id=cmd.request_id,
        request_digest=cmd.request_digest,
    )
