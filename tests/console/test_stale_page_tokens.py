"""A page token the service no longer takes (a list that changed, a link kept too long, an
address altered by hand): every paged list of the console starts again from its first page with
a short notice, instead of the 400 page; a token the service takes is read as before. Without a
browser or the suite: each service is a stand-in refusing every token but its own, as the
kernel's paging does (INVALID_ARGUMENT naming page_token)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from services.console.adapters.calls import ServiceError
from services.console.adapters.casework import AwaitingPage, OverduePage
from services.console.adapters.disclosure import LogPage
from services.console.adapters.governance import HistoryPage
from services.console.adapters.intake import WorklistPage
from services.console.app import create_app
from services.console.settings import ConsoleSettings
from tests.console.test_app import FakeGovernance, csrf, signed_in
from tests.console.test_policy_history_page import IN_FORCE
from zorgtafel.kernel.devkeys import ensure_dev_keys

GOOD = "good-token"
STALE = "eyJvIjoxMDAsInEiOiJvbGQifQ"  # a token of the kernel's form, of a query gone by


def _paged(name: str, asked: list[tuple[str, str]], make):  # noqa: ANN001, ANN202
    """A list read that takes "" (the first page) and GOOD, and refuses any other token."""

    def read(token: str):  # noqa: ANN202
        asked.append((name, token))
        if token not in ("", GOOD):
            raise ServiceError(
                "INVALID_ARGUMENT",
                fields={"page_token": "not a token of this query: start again without one"},
                message="page_token: not a token of this query",
            )
        return make(GOOD if not token else "")

    return read


class Lists:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        a = self.asked
        self._worklist = _paged("worklist", a, lambda nxt: WorklistPage((), nxt))
        self._overdue = _paged("overdue", a, lambda nxt: OverduePage((), nxt))
        self._awaiting = _paged("awaiting", a, lambda nxt: AwaitingPage((), nxt))
        self._history = _paged("history", a, lambda nxt: HistoryPage((), nxt))
        self._notices = _paged(
            "notices", a, lambda nxt: SimpleNamespace(rows=(), next_page_token=nxt)
        )
        self._tasks = _paged("tasks", a, lambda nxt: SimpleNamespace(rows=(), next_page_token=nxt))
        self._log = _paged("log", a, lambda nxt: LogPage((), nxt))
        self.privacy = self

    def worklist(self, call, stage="", page=""):  # noqa: ANN001, ANN201
        return self._worklist(page)

    def overdue(self, call, page=""):  # noqa: ANN001, ANN201
        return self._overdue(page)

    def awaiting_director(self, call, page=""):  # noqa: ANN001, ANN201
        return self._awaiting(page)

    def adopted_revision(self, call):  # noqa: ANN001, ANN201
        return IN_FORCE

    def revision_history(self, call, page, size=20):  # noqa: ANN001, ANN201
        return self._history(page)

    def override_notices(self, call, page_token=""):  # noqa: ANN001, ANN201
        return self._notices(page_token)

    def informing_tasks(self, call, page_token=""):  # noqa: ANN001, ANN201
        return self._tasks(page_token)

    def access_log(self, call, *, provider="", subject_pseudonym="", page_token=""):  # noqa: ANN001, ANN201
        return self._log(page_token)

    def verify_log(self, call):  # noqa: ANN001, ANN201
        raise ServiceError("UNAVAILABLE")


@pytest.fixture
def lists():
    return Lists()


@pytest.fixture
def app(tmp_path, lists):
    ensure_dev_keys(tmp_path)
    settings = ConsoleSettings.from_env(
        {"ZORGTAFEL_ENV": "dev", "ZORGTAFEL_DATA_DIR": str(tmp_path)}
    )
    services = SimpleNamespace(
        intake=lists, casework=lists, governance=FakeGovernance(), disclosure=lists, bodies=lists
    )
    return create_app(settings, services)


# Who reads the list, its address with a token, and the list's name in the stand-in's record.
LISTS = [
    ("pd-otto", "/worklist?page={}", "worklist"),
    ("pd-otto", "/worklist/overdue?page={}", "overdue"),
    ("pd-otto", "/worklist/awaiting-director?page={}", "awaiting"),
    ("pd-otto", "/policy/revision?page={}", "history"),
    ("fg-fenna", "/overrides?notices={}", "notices"),
    ("fg-fenna", "/overrides?tasks={}", "tasks"),
    ("fg-fenna", "/privacy/access-log?log={}", "log"),
]


@pytest.mark.parametrize(("person", "address", "name"), LISTS)
def test_a_stale_page_token_starts_the_list_again_from_the_first_page(
    app, lists, person, address, name
):
    client = signed_in(app, person)
    lists.asked.clear()
    r = client.get(address.format(STALE))
    html = r.get_data(as_text=True)
    assert r.status_code == 200, (address, r.status_code)
    assert 'id="list-restarted"' in html, address
    assert [t for n, t in lists.asked if n == name] == [STALE, ""], lists.asked
    assert STALE not in html  # the link of the next page is the first page's
    # A token the service takes is read as before, with no notice.
    lists.asked.clear()
    r = client.get(address.format(GOOD))
    assert r.status_code == 200 and 'id="list-restarted"' not in r.get_data(as_text=True)
    assert [t for n, t in lists.asked if n == name] == [GOOD]


def test_a_subjects_access_log_with_a_stale_token_starts_again_from_its_first_page(app, lists):
    client = signed_in(app, "fg-fenna")
    fields = MultiDict(
        [
            ("subject", "ps-7f3a9c"),
            ("log", STALE),
            ("csrf_token", csrf(client, "/privacy/access-log")),
        ]
    )
    lists.asked.clear()
    r = client.post("/privacy/access-log", data=fields)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="list-restarted"' in html
    assert lists.asked == [("log", STALE), ("log", "")]
    assert STALE not in html and 'value="ps-7f3a9c"' in html


def test_another_refusal_of_a_list_is_not_taken_for_a_stale_token(app, lists):
    """Only the service's word on the token restarts the list: any other bad request is shown
    as it is (a page the service refuses for another reason is no first page)."""

    def refuse(call, page_token=""):  # noqa: ANN001, ANN202
        raise ServiceError("INVALID_ARGUMENT", fields={"page_size": "0 to 500"})

    lists.override_notices = refuse
    client = signed_in(app, "fg-fenna")
    r = client.get(f"/overrides?notices={GOOD}")
    assert r.status_code == 400 and 'id="list-restarted"' not in r.get_data(as_text=True)
