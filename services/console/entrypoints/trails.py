"""Where a paged list is (the overrides lists, the access log): the page tokens from the first
page to the one shown, carried by the page (query string or form), and "previous page" found
again from the first page when the oldest tokens were left out. Disclosure's tokens only
continue forward."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from werkzeug.datastructures import MultiDict

from services.console.adapters.calls import Caller, ServiceError
from services.console.entrypoints.common import page_token

# How many page tokens of a list ride with the page: those from the first page to the one
# shown (disclosure's tokens only continue forward, so "previous page" is the token before the
# last). Further on, the oldest are left out and the trail is marked cut; going back past the
# oldest one kept, the console finds the tokens before it again from the first page on.
TRAIL = 50


P = TypeVar("P")


class Paged(Protocol):
    @property
    def next_page_token(self) -> str: ...


@dataclass(frozen=True)
class Trail:
    """Where a list is: the page tokens from the first page to the one shown (none: the first
    page), at most TRAIL of them; ``cut``: how many before them were left out."""

    tokens: tuple[str, ...] = ()
    cut: int = 0

    @property
    def token(self) -> str:
        return self.tokens[-1] if self.tokens else ""

    @property
    def number(self) -> int:
        """Which page of the list this is, counted from 1 (the tokens walked, kept or not)."""
        return self.cut + len(self.tokens) + 1

    def on(self, token: str) -> Trail:
        tokens = (*self.tokens, token)
        return Trail(tokens[-TRAIL:], self.cut + max(0, len(tokens) - TRAIL))

    def back(self) -> Trail:
        return Trail(self.tokens[:-1], self.cut if len(self.tokens) > 1 else 0)

    @property
    def lost_before(self) -> bool:
        """Whether the page before this one is no longer in the trail (found again by
        walking from the first page: ``back=1``)."""
        return self.cut > 0 and len(self.tokens) == 1

    def query(self, name: str) -> dict[str, object]:
        return {name: list(self.tokens), **({f"{name}_cut": str(self.cut)} if self.cut else {})}


def trail_of(given: MultiDict[str, str], name: str) -> Trail:
    """List ``name``'s trail from a query string or a form; the first page when one of its
    tokens is no token. The count of tokens left out only numbers the page (a wrong one
    misnumbers the person's own page; "previous" past the kept ones walks from the first)."""
    sent = given.getlist(name)
    tokens = [page_token(t) for t in sent[-TRAIL:]]
    if not tokens or "" in tokens:
        return Trail()
    said = given.get(f"{name}_cut", "")
    cut = int(said) if said.isascii() and said.isdigit() and len(said) <= 6 else 0
    return Trail(tuple(tokens), cut + max(0, len(sent) - TRAIL))


def trail_before(read: Callable[[Caller, str], Paged], call: Caller, token: str) -> Trail:
    """The trail of the page before the one ``token`` opens, found from the first page on
    (disclosure's tokens only continue forward); the first page when no page leads to it (a
    token of a list that changed, or no token of this list)."""
    walked = Trail()
    while True:
        following = read(call, walked.token).next_page_token
        if following == token:
            return walked
        if not following:
            return Trail()
        walked = walked.on(following)


def read_or_first(read: Callable[[Caller, str], P], call: Caller, token: str) -> tuple[P, bool]:
    """The page ``token`` opens, or the first page (and True) when the service no longer takes
    the token: a token of a list that changed since, of a link kept too long or of an address
    altered by hand is no page of the list, and the person is better served by the list from
    its start (with a notice, ``_macros.restarted_notice``) than by an error. Only the service's word
    on the token itself (INVALID_ARGUMENT naming page_token) does so; any other answer is the
    page's to show."""
    try:
        return read(call, token), False
    except ServiceError as err:
        if not token or err.code != "INVALID_ARGUMENT" or "page_token" not in err.fields:
            raise
    return read(call, ""), True
