"""The access log page a page of disclosure's at a time: the adapter passes disclosure's token
on and returns the next one; the party's listing pages by links carrying disclosure's tokens
(an offset, a digest of the query and a sequence number: nothing personal); a subject's
listing pages by POST forms carrying the pseudonym and the tokens in the body, never in a URL.
Without a browser or the suite: disclosure is a stand-in."""

from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from services.console.adapters.disclosure import (
    LOG_PAGE_SIZE,
    Disclosure,
    LogCheck,
    LogEntry,
    LogPage,
)
from tests.console.test_app import FakeGovernance, csrf, dev_console, shown, signed_in
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds

PSEUDONYM = "ps-7f3a9c"


class Stub:
    def __init__(self) -> None:
        self.asked: list[ds.AccessLogRequest] = []

    def AccessLog(self, request):  # noqa: ANN001, ANN201, N802 - the stub's name
        self.asked.append(request)
        nxt = "" if request.page_token else "tok-2"
        return ds.AccessLogResponse(
            entries=[ds.AccessLogEntry(person=f"p-{request.page_token or 'first'}")],
            next_page_token=nxt,
        )


def call(method, request):  # noqa: ANN001, ANN201 - a Caller without a channel
    return method(request)


def test_the_access_log_adapter_pages_with_disclosures_token():
    stub = Stub()
    d = Disclosure(stub)  # type: ignore[arg-type]
    first = d.access_log(call, provider="000099")
    second = d.access_log(call, provider="000099", page_token=first.next_page_token)
    subject = d.access_log(call, subject_pseudonym=PSEUDONYM, page_token="tok-9")
    assert [e.person for e in first.rows] == ["p-first"] and first.next_page_token == "tok-2"
    assert [e.person for e in second.rows] == ["p-tok-2"] and second.next_page_token == ""
    assert [e.person for e in subject.rows] == ["p-tok-9"]
    assert [(r.WhichOneof("filter"), r.page_size, r.page_token) for r in stub.asked] == [
        ("provider", LOG_PAGE_SIZE, ""),
        ("provider", LOG_PAGE_SIZE, "tok-2"),
        ("subject_pseudonym", LOG_PAGE_SIZE, "tok-9"),
    ]
    assert stub.asked[2].subject_pseudonym == PSEUDONYM


def _entry(n: int) -> LogEntry:
    return LogEntry(
        datetime(2030, 1, 1), "000099", f"r-{n:04d}", "caseworker", "request_disclosure",
        "care_coordination", "case-1", "000099", "000099", "allowed", False, (),
    )  # fmt: skip


class PagingLog:
    """Disclosure's access log, each token continuing after the row it names (keyset); the
    party's listing and each subject's apart, a token bound to its query."""

    def __init__(self, size: int = LOG_PAGE_SIZE) -> None:
        self.size = size
        self.rows: dict[str, tuple[LogEntry, ...]] = {}
        self.asked: list[tuple[str, str]] = []
        self.privacy = None

    def access_log(self, call, *, provider="", subject_pseudonym="", page_token=""):  # noqa: ANN001, ANN201
        query = f"s:{subject_pseudonym}" if subject_pseudonym else f"p:{provider}"
        self.asked.append((query, page_token))
        rows = self.rows.get(query, ())
        start = int(page_token.removeprefix("after-")) if page_token else 0
        end = start + self.size
        return LogPage(rows[start:end], f"after-{end}" if end < len(rows) else "")

    def verify_log(self, call):  # noqa: ANN001, ANN201
        return LogCheck(True, 1, 1, 0)


@pytest.fixture
def log():
    return PagingLog()


@pytest.fixture
def app(tmp_path, log):
    services = SimpleNamespace(
        intake=None, casework=None, governance=FakeGovernance(), disclosure=log
    )
    return dev_console(tmp_path, services)


def _rows(html: str) -> list[str]:
    return re.findall(r"r-\d{4}", html.split("<tbody>", 1)[1].split("</tbody>", 1)[0])


def _link(html: str, rel: str) -> str:
    found = re.findall(rf'<a rel="{rel}" id="log-{rel}" href="([^"]+)"', html)
    assert len(found) == 1, (rel, found)
    return found[0].replace("&amp;", "&")


def _form(html: str, rel: str) -> list[tuple[str, str]]:
    """The fields the form of the button ``log-<rel>`` posts."""
    forms = re.findall(r"<form [^>]*>.*?</form>", html, re.S)
    (form,) = [f for f in forms if f'id="log-{rel}"' in f]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)


def test_the_partys_access_log_pages_forward_and_back(app, log):
    """More records than a page holds: each reachable once by "next page", and "previous
    page" back to the page before; the links carry disclosure's tokens only."""
    party = "00000099000000000051"  # fg-fenna's, Leger des Heils
    log.rows[f"p:{party}"] = tuple(_entry(n) for n in range(2 * LOG_PAGE_SIZE + 3))
    client = signed_in(app, "fg-fenna")

    def get(url: str) -> str:
        return shown(client, url)

    pages = [get("/privacy/access-log")]
    assert "log-prev" not in pages[0]
    while "log-next" in pages[-1]:
        pages.append(get(_link(pages[-1], "next")))
    assert len(pages) == 3
    assert [n for p in pages for n in _rows(p)] == [e.person for e in log.rows[f"p:{party}"]]
    assert _rows(get(_link(pages[2], "prev"))) == _rows(pages[1])
    assert _rows(get(_link(pages[1], "prev"))) == _rows(pages[0])
    assert all(q.startswith("p:") for q, _ in log.asked)


def test_a_subjects_access_log_pages_by_post_with_the_pseudonym_in_the_body(app, log):
    """A subject's listing longer than a page: "next" and "previous" are forms posting the
    pseudonym and the tokens; no URL the page holds names the pseudonym or a token."""
    log.rows[f"s:{PSEUDONYM}"] = tuple(_entry(n) for n in range(LOG_PAGE_SIZE + 5))
    client = signed_in(app, "fg-fenna")
    token = csrf(client, "/privacy/access-log")
    log.asked.clear()  # the party's listing, read for the form's token

    def post(fields: list[tuple[str, str]]) -> str:
        r = client.post("/privacy/access-log", data=MultiDict(fields))
        assert r.status_code == 200
        html = r.get_data(as_text=True)
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', html):
            assert PSEUDONYM not in url and "after-" not in url, url
        return html

    first = post([("subject", PSEUDONYM), ("csrf_token", token)])
    assert _rows(first) == [e.person for e in log.rows[f"s:{PSEUDONYM}"][:LOG_PAGE_SIZE]]
    assert "log-prev" not in first
    fields = _form(first, "next")
    assert ("subject", PSEUDONYM) in fields and ("log", f"after-{LOG_PAGE_SIZE}") in fields
    second = post([*fields, ("csrf_token", token)])
    assert _rows(second) == [e.person for e in log.rows[f"s:{PSEUDONYM}"][LOG_PAGE_SIZE:]]
    assert "log-next" not in second
    back = post([*_form(second, "prev"), ("csrf_token", token)])
    assert _rows(back) == _rows(first)
    assert {q for q, _ in log.asked} == {f"s:{PSEUDONYM}"}


def test_a_log_token_that_is_no_token_gives_the_first_page(app, log):
    party = "00000099000000000051"
    log.rows[f"p:{party}"] = tuple(_entry(n) for n in range(3))
    client = signed_in(app, "fg-fenna")
    r = client.get("/privacy/access-log?log=%3Cscript%3E")
    assert r.status_code == 200
    assert _rows(r.get_data(as_text=True)) == ["r-0000", "r-0001", "r-0002"]


def _caption(html: str) -> str:
    return re.sub(r"\s+", " ", html.split("<caption", 1)[1].split(">", 1)[1].split("</caption>")[0])


def test_the_access_logs_caption_says_which_page_it_counts(app, log, monkeypatch):
    """The caption counts the records of the page shown, and says which page of the listing
    that is (disclosure gives no total, and a count of all would read the whole log): the
    number holds going forward, back, and back past the oldest token the address keeps."""
    from services.console.entrypoints import trails

    monkeypatch.setattr(trails, "TRAIL", 2)  # the address keeps two tokens: cut from page 4
    party = "00000099000000000051"
    log.size = 3
    log.rows[f"p:{party}"] = tuple(_entry(n) for n in range(3 * 5 + 1))  # six pages, 1 on the last
    client = signed_in(app, "fg-fenna")

    def get(url: str) -> str:
        return shown(client, url)

    pages = [get("/privacy/access-log")]
    while "log-next" in pages[-1]:
        pages.append(get(_link(pages[-1], "next")))
    assert [_caption(p) for p in pages] == [
        *(f"Pagina {n}: 3 regels, nieuwste eerst" for n in range(1, 6)),
        "Pagina 6: 1 regels, nieuwste eerst",
    ]
    page = pages[-1]
    for n in range(5, 0, -1):  # back to the first page, past the oldest token kept
        page = get(_link(page, "prev"))
        assert _caption(page) == f"Pagina {n}: 3 regels, nieuwste eerst"
    assert "log-prev" not in page
