"""The case pages' guarantees without a browser or the suite: live updates stream only what the
person's token may watch (a case one may not see answers 404 before any stream, exactly as a
number never given out), carry a sequence and a kind and nothing else, end the gRPC stream and
free their slot, and are bounded in number; action progress, overdue actions, escalation and
purge show the service's refusal with its reasons and articles; every POST needs its CSRF
token."""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import grpc
import pytest

from services.console.adapters.calls import Caller, ServiceError, refusals
from services.console.adapters.casework import (
    ActionView,
    AwaitingPage,
    AwaitingView,
    CaseView,
    EscalationView,
    OverduePage,
    OverdueView,
    Watch,
)
from services.console.app import CSP
from services.console.entrypoints import live
from services.console.entrypoints.cases import LIVE_CSP
from tests.console.test_app import FakeGovernance, csrf, dev_console, signed_in
from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.kernel.errors import NotShared, PermissionDenied
from zorgtafel.kernel.grpc_errors import to_status

CASE = "case-0001"
ACTION = "act-1"
SECRET_NOTE = "spoke with the landlord"


ROOT = Path(__file__).resolve().parents[2]


def a_case(state: str = "plan_active", escalated: bool = False) -> CaseView:
    return CaseView(
        case_id=CASE,
        state=state,
        subject_pseudonym="ps-1",
        nominating_party="00000099000000000051",
        process_director_party="00000099000000000053",
        process_director_person="pd-anna",
        case_director_party="",
        case_director_person="",
        opened_at=None,
        meetings=(),
        roles=(),
        plan_version=1,
        actions=(
            ActionView(
                "00000099000000000061", "safety assessment", "2030-01-01", "open", False, ACTION
            ),
        ),
        criteria=(),
        delegates=(),
        withheld_sections=(),
        escalation=EscalationView("brabant_zuidoost", "breakthrough_needed", None)
        if escalated
        else None,
    )


def refused(code: str, text: str = "") -> ServiceError:
    return ServiceError(code, refusals([text] if text else []), message=text)


class FakeRpcError(grpc.RpcError):
    pass


class FakeStream:
    """A WatchCase stream: the given messages, then the end (or an error)."""

    def __init__(self, messages: list, error: bool = False) -> None:
        self.messages = messages
        self.error = error
        self.cancelled = threading.Event()

    def __iter__(self):  # noqa: ANN204
        yield from self.messages
        if self.error:
            raise FakeRpcError()

    def cancel(self) -> None:
        self.cancelled.set()


def event(seq: int, kind: str, at: datetime) -> cw.WatchCaseResponse:
    msg = cw.WatchCaseResponse(sequence=seq, case_id=CASE, kind=kind)
    msg.occurred_at.FromDatetime(at)
    msg.details.update({"note": SECRET_NOTE})  # whatever the details hold is not passed on
    return msg


class FakeCasework:
    def __init__(self) -> None:
        self.hidden = False
        self.state = "plan_active"
        self.streams: list[FakeStream] = []
        self.next_stream: FakeStream | None = None
        self.watched: list[tuple[str, int]] = []
        self.error: ServiceError | None = None
        self.calls: list[tuple] = []
        self.reads: list[str] = []
        self.read_error: ServiceError | None = None

    def case(self, call, case_id):  # noqa: ANN001, ANN201
        self.reads.append(case_id)
        if self.read_error is not None:
            raise self.read_error
        if self.hidden or case_id != CASE:
            raise ServiceError(
                "NOT_FOUND" if case_id == "never" else "PERMISSION_DENIED",
                refusals([f"Party X is not involved in case {case_id} (art. 8.4c)."]),
            )
        return a_case(self.state)

    def watch(self, call, case_id, after, lifetime_s):  # noqa: ANN001, ANN201
        self.watched.append((case_id, after))
        stream = self.next_stream or FakeStream([])
        self.streams.append(stream)
        return Watch(stream)

    def _maybe_refuse(self, *call) -> None:  # noqa: ANN002
        self.calls.append(call)
        if self.error is not None:
            raise self.error

    def update_action(self, call, case_id, action_id, status, note):  # noqa: ANN001, ANN201
        self._maybe_refuse("update_action", case_id, action_id, status, note)

    def overdue(self, call, page_token=""):  # noqa: ANN001, ANN201
        self._maybe_refuse("overdue", page_token)
        return OverduePage(
            (OverdueView(CASE, ACTION, "00000099000000000061", "2020-01-01", "open", 3, ()),),
            "next-1",
        )

    def awaiting_director(self, call, page_token=""):  # noqa: ANN001, ANN201
        self._maybe_refuse("awaiting_director", page_token)
        left = datetime(2026, 12, 1, 9, 30)
        return AwaitingPage((AwaitingView(CASE, "00000099000000000053", left),), "next-1")

    def schedule(self, call, case_id, **meeting):  # noqa: ANN001, ANN003, ANN201
        self._maybe_refuse("schedule", case_id, meeting)
        return "meeting-1"

    def escalate(self, call, case_id, zvh, reason):  # noqa: ANN001, ANN201
        self._maybe_refuse("escalate", case_id, zvh, reason)
        return EscalationView(zvh, reason, datetime(2026, 1, 1))

    def purge(self, call, case_id):  # noqa: ANN001, ANN201
        self._maybe_refuse("purge", case_id)
        return "purged"


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One app for the module (keys and catalogues are made once); each test gets the fake
    casework afresh."""
    data_dir = tmp_path_factory.mktemp("console-case-pages")
    casework = FakeCasework()
    services = SimpleNamespace(
        intake=None,
        casework=casework,
        meeting=casework,
        governance=FakeGovernance(),
        disclosure=None,
    )
    return dev_console(data_dir, services), casework


@pytest.fixture
def casework(shared):
    fake = shared[1]
    fake.__init__()
    return fake


@pytest.fixture
def app(shared, casework):
    return shared[0]


def test_every_new_post_needs_its_csrf_token(app, casework):
    client = signed_in(app, "pd-anna")
    for path in (
        f"/cases/{CASE}/actions/{ACTION}",
        f"/cases/{CASE}/escalate",
        f"/cases/{CASE}/purge",
        f"/cases/{CASE}/take-over",
    ):
        assert client.post(path, data={"confirm": "yes", "status": "done"}).status_code == 400
    assert casework.calls == []


def test_only_the_case_page_may_run_the_console_script(app):
    client = signed_in(app, "pd-anna")
    page = client.get(f"/cases/{CASE}")
    assert page.status_code == 200
    assert page.headers["Content-Security-Policy"] == LIVE_CSP
    # The app's policy with script-src and connect-src 'self' added, nothing loosened.
    assert set(CSP.split("; ")) < set(LIVE_CSP.split("; "))
    assert "unsafe" not in LIVE_CSP
    html = page.get_data(as_text=True)
    assert '<script src="/static/live.js" defer></script>' in html
    assert "<script>" not in html
    assert f"/cases/{CASE}/events?since=" in html
    for path in ("/", f"/cases/{CASE}/escalate", "/worklist/overdue"):
        assert "script-src" not in client.get(path).headers["Content-Security-Policy"], path


def test_an_unseen_case_gives_no_stream_and_no_trace(app, casework):
    client = signed_in(app, "ast-eva")
    casework.hidden = True
    real = client.get(f"/cases/{CASE}/events")
    never = client.get("/cases/never/events")
    assert real.status_code == never.status_code == 404
    assert _page_text(real, CASE) == _page_text(never, "never")
    assert "art. 8.4c" not in real.get_data(as_text=True)
    assert real.mimetype == "text/html"
    assert casework.watched == []  # no stream was opened


def test_the_stream_carries_sequence_and_kind_only_and_ends_the_grpc_stream(app, casework):
    client = signed_in(app, "pd-anna")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    since_ms = int((now - timedelta(minutes=1)).replace(tzinfo=timezone.utc).timestamp() * 1000)
    casework.next_stream = FakeStream(
        [
            event(1, "case.opened", now - timedelta(hours=1)),  # already in the page
            event(2, "action.updated", now),
        ]
    )
    r = client.get(f"/cases/{CASE}/events?since={since_ms}")
    assert r.status_code == 200 and r.mimetype == "text/event-stream"
    body = r.get_data(as_text=True)
    r.close()
    assert "id: 1\n\n" in body and "case.opened" not in body
    assert 'id: 2\nevent: change\ndata: {"kind": "action.updated"}\n\n' in body
    assert SECRET_NOTE not in body and "ps-1" not in body
    assert casework.streams[0].cancelled.is_set()
    assert casework.watched == [(CASE, 0)]


def test_a_since_no_clock_reaches_is_ignored_not_an_error(app, casework):
    """A typed-in ``since`` beyond any date (the caller's mistake) follows the case as without
    one: the page's stream, never a 500."""
    client = signed_in(app, "pd-anna")
    casework.next_stream = FakeStream([event(1, "case.opened", datetime(2026, 1, 1))])
    r = client.get(f"/cases/{CASE}/events?since=999999999999999999")
    assert r.status_code == 200 and r.mimetype == "text/event-stream"
    body = r.get_data(as_text=True)
    r.close()
    assert 'id: 1\nevent: change\ndata: {"kind": "case.opened"}\n\n' in body


class OpenStream(FakeStream):
    """A stream that follows a quiet case: nothing comes until it is cancelled."""

    def __iter__(self):  # noqa: ANN204
        self.cancelled.wait(timeout=30)
        raise FakeRpcError()  # as gRPC ends a cancelled call


def test_a_browser_that_goes_away_ends_the_grpc_stream_and_frees_its_slot(app, casework):
    client = signed_in(app, "pd-anna")
    casework.next_stream = OpenStream([])
    r = client.get(f"/cases/{CASE}/events", buffered=False)
    assert r.status_code == 200
    assert next(r.response) == f"retry: {live.RETRY_MS}\n\n".encode()
    r.close()  # what the server does when the connection drops
    assert casework.streams[0].cancelled.is_set()
    taken = 0
    while live._slots.acquire(blocking=False):
        taken += 1
    for _ in range(taken):
        live._slots.release()
    assert taken == live.MAX_STREAMS


def test_a_reconnection_resumes_after_the_last_event(app, casework):
    client = signed_in(app, "pd-anna")
    client.get(f"/cases/{CASE}/events", headers={"Last-Event-ID": "41"}).close()
    client.get(f"/cases/{CASE}/events", headers={"Last-Event-ID": "41; drop"}).close()
    assert casework.watched == [(CASE, 41), (CASE, 0)]


def test_a_stream_the_service_stops_ends_without_its_reason(app, casework):
    client = signed_in(app, "pd-anna")
    casework.next_stream = FakeStream([], error=True)
    r = client.get(f"/cases/{CASE}/events")
    body = r.get_data(as_text=True)
    r.close()
    assert body.endswith("event: end\ndata: {}\n\n")
    assert casework.streams[0].cancelled.is_set()


def test_streams_are_bounded_and_their_slots_come_back(app, casework):
    client = signed_in(app, "pd-anna")
    taken = 0
    while live._slots.acquire(blocking=False):
        taken += 1
    try:
        assert taken == live.MAX_STREAMS  # every earlier stream gave its slot back
        r = client.get(f"/cases/{CASE}/events")
        assert r.status_code == 503 and r.headers["Retry-After"]
        assert casework.watched == []
    finally:
        for _ in range(taken):
            live._slots.release()
    client.get(f"/cases/{CASE}/events").close()
    assert casework.watched == [(CASE, 0)]


def test_action_progress_is_recorded_and_a_refusal_shows_its_reasons(app, casework):
    client = signed_in(app, "pol-carla")
    page = client.get(f"/cases/{CASE}/actions/{ACTION}")
    assert page.status_code == 200 and "safety assessment" in page.get_data(as_text=True)
    assert client.get(f"/cases/{CASE}/actions/other").status_code == 404
    token = csrf(client, f"/cases/{CASE}/actions/{ACTION}")
    form = {"csrf_token": token, "status": "done", "progress_note": " assessed "}
    r = client.post(f"/cases/{CASE}/actions/{ACTION}", data=form)
    assert r.status_code == 302 and r.headers["Location"].startswith(f"/cases/{CASE}")
    assert casework.calls[-1] == ("update_action", CASE, ACTION, "done", "assessed")
    client.post(f"/cases/{CASE}/actions/{ACTION}", data={**form, "status": "cancelled"})
    assert casework.calls[-1][3] == ""  # only in_progress and done are offered
    casework.error = refused(
        "PERMISSION_DENIED", "Only the action's party or a director updates it (art. 8.5)."
    )
    r = client.post(f"/cases/{CASE}/actions/{ACTION}", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "art. 8.5" in html and 'class="article"' in html


def test_overdue_actions_are_paged_and_a_caseworker_gets_the_refusal(app, casework):
    client = signed_in(app, "pd-anna")
    r = client.get("/worklist/overdue?page=tok-1")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and f"/cases/{CASE}" in html and "page=next-1" in html
    assert casework.calls[-1] == ("overdue", "tok-1")
    client.get("/worklist/overdue?page=%3Cscript%3E")
    assert casework.calls[-1] == ("overdue", "")  # a token that is no token is dropped
    casework.error = refused("PERMISSION_DENIED", "Only directors see overdue actions (art. 13.2).")
    r = client.get("/worklist/overdue")
    assert r.status_code == 403 and "art. 13.2" in r.get_data(as_text=True)


def test_the_cases_awaiting_a_director_are_paged_each_with_its_take_over(app, casework):
    """12.3: a process director sees the cases whose process director left, as casework lists
    them to a designated one (ListCasesAwaitingDirector: the case number, the party it is kept
    for, since when; nothing of the case, so no link to a case page it may not see yet), each
    with the form that takes it over; casework's refusal (not on the roster) with its article."""
    client = signed_in(app, "pd-anna")
    r = client.get("/worklist/awaiting-director?page=tok-1")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and CASE in html and "page=next-1" in html
    assert f'href="/cases/{CASE}/take-over"' in html
    assert f'href="/cases/{CASE}"' not in html
    assert casework.calls[-1] == ("awaiting_director", "tok-1")
    client.get("/worklist/awaiting-director?page=%3Cscript%3E")
    assert casework.calls[-1] == ("awaiting_director", "")  # a token that is no token is dropped
    casework.error = refused(
        "PERMISSION_DENIED", "Only a designated process director takes a case over (art. 12.3)."
    )
    r = client.get("/worklist/awaiting-director")
    assert r.status_code == 403 and "art. 12.3" in r.get_data(as_text=True)


def test_a_case_is_taken_over_by_scheduling_its_meeting_then_its_meeting_page_opens(app, casework):
    """12.3: taking a case over is directing it: the form schedules the case's meeting
    (casework records the take-over with it) without reading the case first (nobody directs it
    yet: the person may not see it), and opens the case meeting's page once it is done; a
    refusal is shown with its reasons and articles, and nothing is taken over."""
    client = signed_in(app, "pd-anna")
    form_page = client.get(f"/cases/{CASE}/take-over")
    assert form_page.status_code == 200 and casework.reads == []
    form = {
        "csrf_token": csrf(client, f"/cases/{CASE}/take-over"),
        "when": "2030-01-02T10:00",
        "goal_code": "stabilise",
        "decision_types": ["plan"],
        "themes": ["safety", "elsewhere"],
        "invitee": "00000099000000000061",
        "lawful_themes": ["safety"],
    }
    r = client.post(f"/cases/{CASE}/take-over", data=form)
    assert r.status_code == 302 and r.headers["Location"] == f"/cases/{CASE}/meeting"
    name, case_id, meeting = casework.calls[-1]
    assert (name, case_id) == ("schedule", CASE)
    assert meeting["themes"] == ["safety"]  # only the themes offered reach the service
    assert meeting["invitees"] == {"00000099000000000061": ["safety"]}
    assert meeting["goal_code"] == "stabilise" and meeting["decision_types"] == ["plan"]
    casework.error = refused(
        "PERMISSION_DENIED", "Only a designated process director takes a case over (art. 12.3)."
    )
    r = client.post(f"/cases/{CASE}/take-over", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "art. 12.3" in html and 'class="article"' in html
    assert casework.reads == []


def test_escalation_by_reason_and_its_refusal_with_the_article(app, casework):
    client = signed_in(app, "pd-anna")
    token = csrf(client, f"/cases/{CASE}/escalate")
    form = {"csrf_token": token, "zvh": "brabant_zuidoost", "reason": "care_and_safety_edge"}
    r = client.post(f"/cases/{CASE}/escalate", data=form)
    assert r.status_code == 200 and 'id="escalated-heading"' in r.get_data(as_text=True)
    assert casework.calls[-1] == ("escalate", CASE, "brabant_zuidoost", "care_and_safety_edge")
    client.post(f"/cases/{CASE}/escalate", data={**form, "zvh": "elsewhere"})
    assert casework.calls[-1][2] == ""  # unknown codes reach the service as missing
    casework.error = refused(
        "PERMISSION_DENIED", "Only the case's process director escalates it (Bijlage 2)."
    )
    r = client.post(f"/cases/{CASE}/escalate", data=form)
    assert r.status_code == 403 and "Bijlage 2" in r.get_data(as_text=True)


def test_purge_needs_confirmation_and_shows_why_it_cannot_be_done_yet(app, casework):
    client = signed_in(app, "pd-anna")
    casework.state = "closed"
    token = csrf(client, f"/cases/{CASE}/purge")
    r = client.post(f"/cases/{CASE}/purge", data={"csrf_token": token})
    assert r.status_code == 400 and casework.calls == []
    casework.error = refused("FAILED_PRECONDITION", "the retention period has not ended")
    r = client.post(f"/cases/{CASE}/purge", data={"csrf_token": token, "confirm": "yes"})
    assert r.status_code == 409 and "retention period" in r.get_data(as_text=True)
    casework.error = None
    r = client.post(f"/cases/{CASE}/purge", data={"csrf_token": token, "confirm": "yes"})
    assert r.status_code == 200 and 'id="purged-heading"' in r.get_data(as_text=True)


def _page_text(response, number: str) -> str:
    """The page with the number taken out, and the CSRF tokens (signed with the time)."""
    html = response.get_data(as_text=True).replace(number, "<case>")
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_pages_of_an_unseen_case_answer_as_for_a_number_never_given_out(app, casework):
    # A process director of another case: the role table lets the role use every form here,
    # so the case's own policy answers (a caseworker gets the role table's refusal at once).
    client = signed_in(app, "pd-otto")
    casework.hidden = True
    for path in (
        "/cases/{}/actions/" + ACTION,
        "/cases/{}/escalate",
        "/cases/{}/purge",
    ):
        real = client.get(path.format(CASE))
        never = client.get(path.format("never"))
        assert real.status_code == never.status_code == 404, path
        assert _page_text(real, CASE) == _page_text(never, "never"), path


class RefusedCall(grpc.RpcError, grpc.Call):
    """A call that ended with ``status``, as the gRPC client raises it."""

    def __init__(self, status: grpc.Status) -> None:
        self._status = status

    def code(self):  # noqa: ANN201
        return self._status.code

    def details(self):  # noqa: ANN201
        return self._status.details

    def trailing_metadata(self):  # noqa: ANN201
        return self._status.trailing_metadata

    def initial_metadata(self):  # noqa: ANN201
        return ()

    def is_active(self) -> bool:
        return False

    def time_remaining(self) -> None:
        return None

    def cancel(self) -> bool:
        return False

    def add_callback(self, callback) -> bool:  # noqa: ANN001
        return False


def answered(exc: Exception) -> ServiceError:
    """What the console makes of the status a service answers ``exc`` with."""

    def method(request, metadata, timeout):  # noqa: ANN001, ANN202
        raise RefusedCall(to_status(exc)[0])

    with pytest.raises(ServiceError) as err:
        Caller("token", 1.0)(method, object())
    return err.value


def test_a_refusal_as_for_an_id_never_given_out_is_told_from_a_policys():
    not_shared = answered(NotShared("case", "case_id", PermissionDenied(["why"], "d-1", "r")))
    assert not_shared.code == "PERMISSION_DENIED" and not_shared.not_shared
    for decided in (
        PermissionDenied(["Only directors (art. 13.2)."], "d-2", "r", "zorgtafel.casework.act"),
        PermissionDenied(["Not this role."], "d-3", "r", "zorgtafel.authz"),
    ):
        refused = answered(decided)
        assert refused.code == "PERMISSION_DENIED" and not refused.not_shared
        assert [r.text for r in refused.reasons] == list(decided.reasons)


def test_a_form_refused_as_for_a_case_never_given_out_does_not_read_the_case_again(app, casework):
    """The service answers the action's update as for a case the person's party has no part
    in: the page is the answer of a number never given out, without reading the case after
    the refusal (that read, refused too, was a second refusal of the one action)."""
    client = signed_in(app, "ast-eva")
    token = csrf(client, "/")
    form = {"csrf_token": token, "status": "done", "progress_note": "done"}
    never = client.get(f"/cases/never/actions/{ACTION}")
    casework.error = answered(NotShared("case", "case_id"))
    casework.reads.clear()
    r = client.post(f"/cases/{CASE}/actions/{ACTION}", data=form)
    assert casework.calls[-1][0] == "update_action"
    assert casework.reads == []
    assert r.status_code == never.status_code == 404
    assert _page_text(r, CASE) == _page_text(never, "never")


ROLE_REFUSAL = PermissionDenied(
    ["Your role may not record progress on an action (art. 13.2)."], "d-4", "r", "zorgtafel.authz"
)


def test_a_refusal_by_role_is_told_from_a_refusal_by_a_cases_policy():
    by_role = answered(ROLE_REFUSAL)
    assert by_role.by_role and not by_role.not_shared
    for other in (
        PermissionDenied(["Only directors (art. 13.2)."], "d-2", "r", "zorgtafel.casework.act"),
        NotShared("case", "case_id"),
    ):
        assert not answered(other).by_role


def test_a_form_refused_by_role_shows_the_reasons_without_reading_the_case_again(app, casework):
    """The role table refuses the action's update before casework reads anything: the same
    refusal for any case number, so the page shows its reasons at once, without reading the
    case after it (that read was a second refusal of the one action), alike for a real case
    and a number never given out."""
    client = signed_in(app, "ast-eva")
    token = csrf(client, "/")
    form = {"csrf_token": token, "status": "done", "progress_note": "done"}
    casework.error = answered(ROLE_REFUSAL)
    casework.reads.clear()
    real = client.post(f"/cases/{CASE}/actions/{ACTION}", data=form)
    never = client.post(f"/cases/never/actions/{ACTION}", data=form)
    assert [c[0] for c in casework.calls] == ["update_action", "update_action"]
    assert casework.reads == []
    assert real.status_code == never.status_code == 403
    assert "Your role may not record progress on an action" in real.get_data(as_text=True)
    assert _page_text(real, CASE) == _page_text(never, "never")


def test_a_form_refused_by_a_cases_policy_still_reads_the_case_to_show_it(app, casework):
    """A refusal by the case's own policy may name the case: its reasons are shown only after
    reading the case, and a person who may not see the case gets the answer of a number never
    given out (no oracle)."""
    client = signed_in(app, "ast-eva")
    token = csrf(client, "/")
    form = {"csrf_token": token, "status": "done", "progress_note": "done"}
    casework.error = answered(
        PermissionDenied(["Only the action's party (art. 13.2)."], "d-5", "r", "zorgtafel.casework")
    )
    casework.reads.clear()
    shown = client.post(f"/cases/{CASE}/actions/{ACTION}", data=form)
    assert casework.reads == [CASE]
    assert shown.status_code == 403
    assert "Only the action&#39;s party" in shown.get_data(as_text=True)
    never = client.get(f"/cases/never/actions/{ACTION}")
    casework.hidden = True
    hidden = client.post(f"/cases/{CASE}/actions/{ACTION}", data=form)
    assert hidden.status_code == never.status_code == 404
    assert _page_text(hidden, CASE) == _page_text(never, "never")


CASE_PAGES = (
    "/cases/{}",
    "/cases/{}/actions/" + ACTION,
    "/cases/{}/escalate",
    "/cases/{}/purge",
    "/cases/{}/request",
    "/cases/{}/break-glass",
)


def test_a_page_refused_by_role_shows_the_reasons_alike_for_any_number(app, casework):
    """The role table refuses the person's read of a case before casework reads anything (a
    privacy officer's GetCase): the page shows that refusal's reasons, which name only the
    party, the role and the method, the same for a real case and a number never given out,
    not the answer of a number never given out (which would say there is nothing here)."""
    client = signed_in(app, "fg-fenna")
    casework.read_error = answered(
        PermissionDenied(
            ["The role privacy_officer may not call GetCase (Bijlage 3, authorisation model)."],
            "d-6",
            "r",
            "zorgtafel.authz",
        )
    )
    for path in CASE_PAGES:
        real = client.get(path.format(CASE))
        never = client.get(path.format("never"))
        assert real.status_code == never.status_code == 403, path
        html = real.get_data(as_text=True)
        # A form the role may never use answers its own method's refusal before any read.
        method = "GetCase" if path == CASE_PAGES[0] else ""
        assert f"may not call {method}" in html and "Bijlage 3" in html, path
        assert _page_text(real, CASE) == _page_text(never, "never"), path


def test_a_page_refused_by_a_cases_policy_keeps_the_answer_of_a_number_never_given_out(
    app, casework
):
    """A refusal by the case's own policy names the case: the one 404, no reasons (asked by a
    process director of another case, whom the role table lets use every form here)."""
    client = signed_in(app, "pd-otto")
    never = client.get("/cases/never/actions/" + ACTION)
    casework.read_error = answered(
        PermissionDenied(
            [f"Party X is not involved in case {CASE} (art. 8.4c)."],
            "d-7",
            "r",
            "zorgtafel.casework",
        )
    )
    for path in CASE_PAGES:
        r = client.get(path.format(CASE))
        assert r.status_code == 404, path
        assert "art. 8.4c" not in r.get_data(as_text=True), path
        assert _page_text(r, CASE) == _page_text(never, "never"), path


def test_the_front_desk_is_offered_no_form_its_role_may_not_use(app, casework, monkeypatch):
    """The front desk of an involved party sees who is in care (view.rego, no dossier), and
    the role table refuses it RequestDisclosure and Provide whatever the case: its case page
    offers neither form (each would be a refusal in its name); a caseworker's keeps both."""
    from services.console.adapters import identity
    from zorgtafel.demo.actors import POLICE, Actor

    desk = Actor("front desk (police)", POLICE, "front_desk", "pol-desk")
    monkeypatch.setattr(identity, "DEMO_PEOPLE", (*identity.DEMO_PEOPLE, desk))
    forms = (f'href="/cases/{CASE}/request"', f'href="/cases/{CASE}/provide"')
    html = signed_in(app, "pol-desk").get(f"/cases/{CASE}").get_data(as_text=True)
    assert [f for f in forms if f in html] == []
    html = signed_in(app, "pol-carla").get(f"/cases/{CASE}").get_data(as_text=True)
    assert [f for f in forms if f in html] == list(forms)


def test_a_form_the_role_may_never_use_answers_the_role_tables_refusal_at_once(
    app, casework, monkeypatch
):
    """Every role the role table (policies/rego/authz/data.json) refuses a form's method
    whatever the case (RequestDisclosure and Provide to the front desk, privacy officers,
    auditors and the bodies' people; Escalate and Purge to all but process directors;
    BreakGlass) opening that form by its address is answered the console's 403 page with the
    role table's words, alike for a real case number and one never given out, and no service
    is asked in its name (the ask could only be a refusal counted in its budget); a role the
    table allows gets the form."""
    forms = {
        "request": "disclosure.v1.DisclosureService/RequestDisclosure",
        "provide": "disclosure.v1.DisclosureService/Provide",
        "escalate": "casework.v1.CaseworkService/Escalate",
        "purge": "casework.v1.CaseworkService/Purge",
        "break-glass": "disclosure.v1.DisclosureService/BreakGlass",
        "take-over": "casework.v1.CaseworkService/ScheduleMeeting",
    }
    assert _every_role_opens(app, casework, monkeypatch, forms) >= 6 * 9


def test_the_action_and_meeting_forms_answer_the_role_tables_refusal_at_once(
    app, casework, monkeypatch
):
    """The action page (a form to record progress: UpdateAction) and the case meeting's page
    (its forms: NameDelegate for any worker, the rest for the process director) opened by a
    role the role table refuses those methods whatever the case (the front desk, privacy
    officers, auditors, the bodies' people) answer the console's 403 page with the role
    table's words, alike for a real case number and one never given out, and casework reads
    nothing in that person's name; a role the table allows gets the page."""
    forms = {
        "actions/" + ACTION: "casework.v1.CaseworkService/UpdateAction",
        "meeting": "casework.v1.CaseworkService/NameDelegate",
    }
    assert _every_role_opens(app, casework, monkeypatch, forms) >= 2 * 9


def role_table_people(monkeypatch) -> tuple[dict, list[str]]:  # noqa: ANN001
    """The role table's methods (policies/rego/authz/data.json) and every role in it, each
    role given a demo person ``p-<role>`` of the police to sign in as."""
    from services.console.adapters import identity
    from zorgtafel.demo.actors import POLICE, Actor

    table = json.loads((ROOT / "policies/rego/authz/data.json").read_text())["method_roles"]
    roles = sorted({r for m in table.values() for r in m["roles"]})
    people = tuple(Actor(role, POLICE, role, f"p-{role}") for role in roles)
    monkeypatch.setattr(identity, "DEMO_PEOPLE", (*identity.DEMO_PEOPLE, *people))
    return table, roles


def _every_role_opens(app, casework, monkeypatch, forms: dict[str, str]) -> int:  # noqa: ANN001
    """Every role opens each of the case's ``forms`` (its address below /cases/<number>/ to the
    one method it calls): a role the table allows gets the page, any other the 403 page with
    the table's words, alike for CASE and a number never given out, casework reading nothing
    in its name. How many (role, form) were refused."""
    table, roles = role_table_people(monkeypatch)
    refused = 0
    for role in roles:
        client = signed_in(app, f"p-{role}")
        for form, method in forms.items():
            casework.reads.clear()
            if role in table[f"/zorgtafel.{method}"]["roles"]:
                assert client.get(f"/cases/{CASE}/{form}").status_code == 200, (role, form)
                continue
            refused += 1
            pages = [client.get(f"/cases/{number}/{form}") for number in (CASE, "never")]
            assert [p.status_code for p in pages] == [403, 403], (role, form)
            assert _page_text(pages[0], CASE) == _page_text(pages[1], "never"), (role, form)
            html = pages[0].get_data(as_text=True)
            assert f"may not call /zorgtafel.{method}" in html, (role, form)
            assert casework.reads == [], (role, form)
    return refused


def test_the_cases_awaiting_a_director_are_casework_replys_asked_with_the_persons_token():
    """The adapter behind the page: ListCasesAwaitingDirector with the page token and the
    person's token, its reply as plain views (the case number, the party, since when)."""
    from services.console.adapters.casework import Casework

    asked = []
    left = datetime(2026, 12, 1, 9, 30)
    reply = cw.ListCasesAwaitingDirectorResponse(
        cases=[cw.CaseAwaitingDirector(case_id=CASE, party="00000099000000000053")],
        next_page_token="next-1",
    )
    reply.cases[0].left_at.FromDatetime(left)

    def listing(request, metadata, timeout):  # noqa: ANN001, ANN202
        asked.append((request, metadata))
        return reply

    stub = SimpleNamespace(ListCasesAwaitingDirector=listing)
    page = Casework(stub).awaiting_director(Caller("tok", 1.0), "tok-1")
    assert page == AwaitingPage((AwaitingView(CASE, "00000099000000000053", left),), "next-1")
    ((request, metadata),) = asked
    assert (request.page_token, request.page_size) == ("tok-1", 50)
    assert metadata == (("authorization", "Bearer tok"),)
