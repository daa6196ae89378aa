"""One page of an access log as oversight may read it: disclosure's AccessLog and every
service's ``AccessLogService.ListAccess`` (one definition).

Both read the whole log of their filter, not its newest 1,000 records: a subject's, case's or
party's older records are listed on later pages, and a party concerned only in older records is
still recognised as concerned (before, it was refused). The parties concerned are read in one
statement (their distinct combinations, a handful; the statement reads every whole record of
the filter, so its cost grows with them); the page is read by key, newest first, with the
``restrict_to_party`` obligation applied in SQL (``store.concerning``) and again in Python
(``oversight.concerned_parties``, the rule itself), so a page is full, nothing is skipped or
repeated when records come meanwhile, and the last page takes the statements of the first (a
narrowed page walks the filter's index past the records that do not concern the party)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zorgtafel.kernel.accesslog import store
from zorgtafel.kernel.accesslog.oversight import (
    LOOKS,
    as_seen_by,
    concerned_parties,
    restricted_to,
)
from zorgtafel.kernel.accesslog.service import LogReader
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.paging import Window

# Who may read which part of a log (Bijlage 3, NEN 7513): a package of its own, so a service
# that only serves its access log compiles that rule and not disclosure's control (issue #16).
POLICY = "zorgtafel.accesslog"

# A decision on the listing (``POLICY``'s query_access_log): given the parties concerned, it
# returns the obligations to apply or raises PERMISSION_DENIED.
Decide = Callable[[list[str]], Iterable[Mapping[str, Any]]]


def policy_input(
    caller: Mapping[str, Any], by: str, value: str, concerned: list[str]
) -> dict[str, Any]:
    """The ``POLICY`` input for a listing by ``by`` = ``value`` whose records concern the
    parties ``concerned``; ``caller`` is the caller's principal (``Caller.as_input()``)."""
    return {
        "operation": "query_access_log",
        "caller": {**caller, "functions": []},
        "resource": {"filter": by, "value": value, "scoped": True, "concerned": concerned},
    }


@dataclass(frozen=True)
class OversightPage:
    records: list[dict[str, Any]]  # as the caller's party may see them
    next_page_token: str
    party: str | None  # the party the listing was narrowed to (None: not narrowed)


def _before(window: Window) -> int | None:
    """The seq a page continues below; None for a first page."""
    if window.after is None:
        if window.offset:
            # An offset token of the listing before it paged by key: starting over would
            # repeat rows without saying so.
            raise InvalidArgument(
                "page_token", "not a token of this query: start again without one"
            )
        return None
    try:
        (seq,) = window.after
        before = int(seq)
        if before < 1 or str(before) != seq:
            raise ValueError(seq)
    except ValueError:
        raise InvalidArgument(
            "page_token", "not a token of this query: start again without one"
        ) from None
    return before


def oversight_page(
    log: LogReader,
    by: str,
    value: str,
    *,
    concern_by: str,
    decide: Decide,
    window: Window,
    limit: int = 0,
) -> OversightPage:
    """The page ``window`` asks for of the records whose ``by`` is ``value``, newest first,
    after ``decide`` allowed the listing; ``limit`` (> 0) caps the listing over all its pages.
    ``concern_by`` is the filter as oversight reads it (``concerned_parties``)."""
    before = _before(window)
    found = set().union(*(concerned_parties(r, concern_by) for r in log.concerned(by, value)))
    # A listing by provider or party concerns that party, also before a record names it: its
    # own oversight gets an empty list, not a refusal; another party's is refused as ever.
    concerned = sorted(found | ({value} if by in ("provider", "party") else set()))
    party = restricted_to(decide(concerned))
    size = window.size if limit <= 0 else min(window.size, limit - window.offset)
    if size <= 0:
        return OversightPage([], "", party)
    rows = log.page_newest(
        by,
        value,
        limit=size + 1,
        before_seq=before,
        where=None if party is None else store.concerning(log.tables, party, concern_by, LOOKS),
    )
    if party is not None:
        rows = [r for r in rows if party in concerned_parties(r, concern_by)]
    page = Window(window.offset, size, window.digest, window.after)
    shown, token = page.cut(rows, key=lambda r: (str(r["seq"]),))
    return OversightPage([as_seen_by(r, party) for r in shown], token, party)
