"""What the tests of disclosure's paged lists share: the servicer on a handler platform, and a
walk over every page of a list as a client walks it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.disclosure.bootstrap import make_deps
from services.disclosure.entrypoints.grpc_api import DisclosureServicer
from zorgtafel.kernel.commands import Commands


def servicer(platform) -> DisclosureServicer:
    return DisclosureServicer(
        make_deps(platform), platform.uow_factory, Commands(platform.uow_factory, "t")
    )


def walk(ask: Callable[..., Any], items: str, page_size: int, **fields: Any) -> list[Any]:
    """Every row of a list in pages of ``page_size`` (``ask(**request fields)`` is one call;
    ``items`` the response's repeated field), following the tokens; a list whose pages never
    end fails instead of hanging the test."""
    shown: list[Any] = []
    token = ""
    for _ in range(1000):
        page = ask(page_size=page_size, page_token=token, **fields)
        rows = list(getattr(page, items))
        assert len(rows) <= page_size
        shown += rows
        token = page.next_page_token
        if not token:
            return shown
    raise AssertionError("the pages did not end")
