"""What the tests of disclosure's paged lists share: the servicer on a handler platform, a walk
over every page of a list as a client walks it, forged page tokens refused, and the AES-GCM
contexts a page makes to open its texts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from google.protobuf.message import Message

from services.disclosure.bootstrap import make_deps
from services.disclosure.entrypoints.grpc_api import DisclosureServicer
from zorgtafel.kernel import crypto, paging
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.errors import InvalidArgument


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


# Sort keys a forged token of the very query may carry: not (aware time, id).
FORGED_KEYS = (["not a time", "id-x"], ["2026-01-01T00:00:00", "id-x"], ["x"], [])


def refuses_forged_keys(ask: Callable[..., Any], request: Message) -> None:
    """A token of ``request``'s own query whose sort key is not (aware time, id) is
    INVALID_ARGUMENT naming page_token, never a crash (``ask(**request fields)`` is one call)."""
    size = getattr(request, "page_size")  # noqa: B009 - declared by each list request
    digest = paging._query_digest(request)
    for after in FORGED_KEYS:
        with pytest.raises(InvalidArgument) as err:
            ask(page_size=size, page_token=paging._encode(size, digest, after))
        assert [f for f, _ in err.value.violations] == ["page_token"]


@dataclass
class Opened:
    """What was opened meanwhile: an AES-GCM context made (``contexts``) and the associated
    data of each text opened (``texts``)."""

    contexts: int = 0
    texts: list[bytes] = field(default_factory=list)


@contextmanager
def aes_gcm_opened() -> Iterator[Opened]:
    """The kernel's AES-GCM contexts made and texts opened meanwhile (``kernel.crypto``)."""
    real = crypto.AESGCM
    opened = Opened()

    class Counted:
        def __init__(self, key: bytes) -> None:
            opened.contexts += 1
            self._aead = real(key)

        def decrypt(self, nonce: bytes, data: bytes, associated: bytes) -> bytes:
            opened.texts.append(associated)
            return self._aead.decrypt(nonce, data, associated)

    with mock.patch.object(crypto, "AESGCM", Counted):
        yield opened
