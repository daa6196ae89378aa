"""The seam code every service shares, once, in the kernel: field checks, proto conversions,
the policy gate and the unit of work's wake-up of the outbox relay."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from tests.unit.kernel_store import kernel_store
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.kernel import convert, validate
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied, Unavailable
from zorgtafel.kernel.events import DomainEvent, EventRegistry
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.policy.decision import Decision


def field_of(exc: pytest.ExceptionInfo[InvalidArgument]) -> str:
    return exc.value.violations[0][0]


# -- validators -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "0000009900000000000",
        "000000990000000000011",
        "",
        "00000099000000000001\n",
        " 00000099000000000001",
        None,
        7,
    ],
)
def test_an_oin_is_twenty_digits_and_nothing_else(value):
    with pytest.raises(InvalidArgument) as exc:
        validate.check_oin(value, "invitees[2]")
    assert field_of(exc) == "invitees[2]"


def test_a_trailing_newline_does_not_pass_a_pattern():
    assert validate.check_code("safety", "themes[0]") == "safety"
    for bad in ("safety\n", "Safety", "1safety", "s" * 65):
        with pytest.raises(InvalidArgument):
            validate.check_code(bad, "themes[0]")


def test_lists_are_bounded_checked_per_entry_and_refuse_or_merge_duplicates():
    assert validate.check_codes(["b", "a"], "themes") == ("b", "a")
    assert validate.check_codes(["b", "a", "b"], "themes", duplicates="merge") == ("a", "b")
    with pytest.raises(InvalidArgument) as exc:
        validate.check_codes(["a", "a"], "themes")
    assert field_of(exc) == "themes"
    with pytest.raises(InvalidArgument) as exc:
        validate.check_codes(["a", "B"], "themes")
    assert field_of(exc) == "themes[1]"
    with pytest.raises(InvalidArgument):
        validate.check_codes(["a"] * 101, "themes", duplicates="merge")
    with pytest.raises(InvalidArgument):
        validate.check_oins([], "invitees", required=True)


def test_text_is_bounded_and_free_of_control_characters():
    assert validate.check_text("regel 1\nregel 2\t!", "minutes") == "regel 1\nregel 2\t!"
    for bad, kw in (
        ("", {}),
        ("  ", {}),
        ("x" * 11, {"limit": 10}),
        ("a\x00b", {}),
        ("a\x1bb", {}),
    ):
        with pytest.raises(InvalidArgument):
            validate.check_text(bad, "minutes", **kw)
    assert validate.check_text("", "notes", required=False) == ""


BIDI_CONTROLS = [
    chr(c) for c in (0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
]


@pytest.mark.parametrize("control", BIDI_CONTROLS)
def test_free_text_refuses_bidi_marks_overrides_and_isolates(control):
    """A mark (U+200E, U+200F, U+061C), an embedding, override or isolate character
    (U+202A-U+202E, U+2066-U+2069) turns how the console shows a text around ("Anna \u202eneslaj" shows as "Anna jansen"): a name
    or an account that reads otherwise than it is stored. Every free text is refused with
    them, the field named; a right-to-left text itself stays welcome."""
    for check in (
        lambda v: validate.check_text(v, "minutes"),
        lambda v: validate.check_text(v, "minutes", required=False),
        lambda v: validate.check_worded(v, "minutes", "required: in words"),
    ):
        with pytest.raises(InvalidArgument) as refused:
            check(f"Anna {control}neslaJ")
        assert refused.value.violations[0][0] == "minutes"
    assert (
        validate.check_text("\u05e9\u05dc\u05d5\u05dd 12", "minutes")
        == "\u05e9\u05dc\u05d5\u05dd 12"
    )


def test_dates_are_calendar_dates_in_iso_form():
    assert validate.check_date("2026-02-28", "due_date") == date(2026, 2, 28)
    for bad in ("2026-02-30", "26-02-28", "2026-2-28", "2026-02-28\n", ""):
        with pytest.raises(InvalidArgument):
            validate.check_date(bad, "due_date")


def test_over_deep_or_broken_json_is_the_callers_mistake_not_a_crash():
    assert validate.parse_json(b'{"a": [1, {"b": "[[[["}]}', "content") == {"a": [1, {"b": "[[[["}]}
    for bad in (b"[" * 100_000, b'{"a":' * 40 + b"1" + b"}" * 40, b"\xff\xfe", b"{", b""):
        with pytest.raises(InvalidArgument) as exc:
            validate.parse_json(bad, "content")
        assert field_of(exc) == "content"


def test_prefixed_ids_are_checked_whole():
    assert validate.check_prefixed_id("itm-" + "a" * 32, "item_id", "itm-", "an item id")
    for bad in ("itm-" + "a" * 31, "itm-" + "A" * 32, "sr-" + "a" * 32, "itm-" + "a" * 32 + "\n"):
        with pytest.raises(InvalidArgument):
            validate.check_prefixed_id(bad, "item_id", "itm-", "an item id")


# -- conversions ---------------------------------------------------------------------------------
@pytest.mark.parametrize("seconds", [-62135596800, -2208988801, 32503680000, 253402300799])
def test_timestamps_outside_the_years_1900_to_2999_are_refused_naming_the_field(seconds):
    request = pb.ScheduleMeetingRequest()
    request.scheduled_for.CopyFrom(Timestamp(seconds=seconds))
    with pytest.raises(InvalidArgument) as exc:
        convert.optional_timestamp(request, "scheduled_for")
    assert field_of(exc) == "scheduled_for"


def test_a_timestamp_round_trips_and_an_absent_one_is_none():
    at = datetime(2026, 12, 1, 21, 15, tzinfo=timezone.utc)
    request = pb.ScheduleMeetingRequest()
    assert convert.optional_timestamp(request, "scheduled_for") is None
    request.scheduled_for.CopyFrom(convert.to_timestamp(at))
    assert convert.optional_timestamp(request, "scheduled_for") == at
    assert convert.to_timestamp(None) is None


def test_a_time_is_the_timestamp_protobuf_makes_of_it_without_its_per_call_conversion(
    monkeypatch,
):
    """Every row of every list carries two or three times: ``Timestamp.FromDatetime`` cost
    3.4 us of CPU a time (a UTC time tuple, ``calendar.timegm``), a tenth of a 500-row page's
    conversion (issue #16). An aware time is now its distance from the epoch, the same seconds
    and nanos; a naive one is taken as protobuf takes it (local time), through protobuf."""
    from datetime import timedelta

    expected = []
    aware = [
        datetime(2026, 12, 7, 12, 16, 3, 123456, tzinfo=timezone.utc),
        datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
        datetime(1900, 1, 1, tzinfo=timezone.utc),
        datetime(2999, 12, 31, 23, 59, 59, 1, tzinfo=timezone.utc),
        datetime(2026, 3, 29, 2, 30, 0, 500000, tzinfo=timezone(timedelta(hours=2))),
        datetime(2026, 10, 25, 0, 0, 0, 7, tzinfo=timezone(-timedelta(hours=9, minutes=30))),
    ]
    for value in aware:
        ts = Timestamp()
        ts.FromDatetime(value.astimezone(timezone.utc))
        expected.append((ts.seconds, ts.nanos))
    converted: list[object] = []
    original = Timestamp.FromDatetime
    monkeypatch.setattr(
        Timestamp, "FromDatetime", lambda self, dt: converted.append(dt) or original(self, dt)
    )
    got = [convert.to_timestamp(value) for value in aware]
    assert [(ts.seconds, ts.nanos) for ts in got if ts is not None] == expected
    assert converted == []
    naive = datetime(2026, 12, 7, 12, 16, 3, 5)
    local = Timestamp()
    original(local, naive.astimezone(timezone.utc))
    assert convert.to_timestamp(naive) == local


def test_enums_map_to_domain_names_both_ways():
    value = pb.CaseState.Value("CASE_STATE_PLAN_ACTIVE")
    assert convert.enum_name(pb.CaseState, value, "CASE_STATE_", "state") == "plan_active"
    assert convert.enum_out(pb.CaseState, "CASE_STATE_", "plan_active") == value
    assert convert.enum_out(pb.CaseState, "CASE_STATE_", None) == 0
    assert convert.enum_name(pb.CaseState, 0, "CASE_STATE_", "state") == ""
    with pytest.raises(InvalidArgument):
        convert.enum_name(pb.CaseState, 0, "CASE_STATE_", "state", required=True)
    with pytest.raises(InvalidArgument) as exc:
        convert.enum_name(pb.CaseState, 999, "CASE_STATE_", "state")
    assert field_of(exc) == "state"


def test_a_code_is_looked_up_in_its_proto_enum_once_however_many_rows_carry_it():
    """A list's every row carries two or three codes (issue #16): each (enum, prefix, name)
    is looked up once, the same number every time after, an unknown name still 0."""

    class Kinds:
        def __init__(self) -> None:
            self.asked: list[str] = []

        def Value(self, name: str) -> int:  # noqa: N802 - protobuf's enum wrapper's name
            self.asked.append(name)
            if name != "KIND_ACCESS":
                raise ValueError(name)
            return 3

    kinds = Kinds()
    assert [convert.enum_out(kinds, "KIND_", "access") for _ in range(5)] == [3] * 5
    assert [convert.enum_out(kinds, "KIND_", "other") for _ in range(2)] == [0, 0]
    assert kinds.asked == ["KIND_ACCESS", "KIND_OTHER"]
    assert convert.enum_out(kinds, "KIND_", None) == 0


# -- the policy gate -----------------------------------------------------------------------------
class Engine:
    revision = "rev-1"

    def __init__(self, result=None, error: Exception | None = None) -> None:
        self.result, self.error = result, error

    def decide(self, policy, input):  # noqa: A002 - the engine protocol's name
        if self.error:
            raise self.error
        return Decision.from_result(policy, self.revision, input, self.result)

    def evaluate(self, policy, input):  # noqa: A002
        if self.error:
            raise self.error
        return self.result


def test_the_gate_obeys_an_allow_and_reports_a_deny_with_the_policys_reasons():
    allow = PolicyGate(Engine({"allow": True, "reasons": ["8.4c: need to know"]}))
    assert allow.require("zorgtafel.casework.act", {}).allow is True
    deny = PolicyGate(Engine({"allow": False, "reasons": ["13.1: not the case director"]}))
    with pytest.raises(PermissionDenied) as exc:
        deny.require("zorgtafel.casework.act", {})
    assert exc.value.reasons == ("13.1: not the case director",)
    assert exc.value.policy == "zorgtafel.casework.act"


def test_the_gate_fails_closed_when_the_engine_fails_or_answers_nonsense():
    with pytest.raises(Unavailable):
        PolicyGate(Engine(error=TimeoutError())).require("p", {})
    with pytest.raises(Unavailable):
        PolicyGate(Engine(error=RuntimeError())).evaluate("p", {})
    with pytest.raises(PermissionDenied):
        PolicyGate(Engine({"allow": "yes"})).require("p", {})
    with pytest.raises(PermissionDenied):
        PolicyGate(Engine(None)).require("p", {})


# -- the unit of work wakes the relay after a commit that wrote outbox rows ---------------------


def test_a_commit_with_events_wakes_the_relay_and_one_without_does_not(tmp_path):
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Noted(DomainEvent):
        TYPE = "nl.zorgtafel.test.noted.v1"
        case_id: str = "c-1"

    woken: list[int] = []
    factory, engine, _ = kernel_store(tmp_path, EventRegistry([Noted]), lambda: woken.append(1))
    with factory() as uow:
        uow.commit()
    assert woken == []
    with factory() as uow:
        uow.emit(Noted())
        uow.commit()
    assert woken == [1]
    with factory() as uow:
        uow.emit(Noted())
        uow.rollback()
    assert woken == [1]
    engine.dispose()


# -- paging -----------------------------------------------------------------------------------
def test_a_list_pages_through_every_result_once_in_order():
    from zorgtafel.generated.governance.v1 import governance_pb2 as gpb
    from zorgtafel.kernel.paging import page

    items = list(range(250))
    seen, token = [], ""
    while True:
        request = gpb.ListPartiesRequest(page_size=100, page_token=token)
        chunk, token = page(items, request)
        seen.extend(chunk)
        if not token:
            break
    assert seen == items
    assert page(items, gpb.ListPartiesRequest())[1] != ""  # the default is 100 of 250


def test_a_page_token_continues_only_its_own_query():
    from zorgtafel.generated.governance.v1 import governance_pb2 as gpb
    from zorgtafel.kernel.paging import page

    _, token = page(list(range(10)), gpb.ListPartiesRequest(page_size=3, kind=1))
    with pytest.raises(InvalidArgument) as exc:
        page(list(range(10)), gpb.ListPartiesRequest(page_size=3, kind=2, page_token=token))
    assert field_of(exc) == "page_token"
    for bad in ("x", "!!!", "eyJvIjotMSwicSI6IiJ9", "\u00e9"):
        with pytest.raises(InvalidArgument):
            page([1], gpb.ListPartiesRequest(page_token=bad))
    for size in (-1, 501):
        with pytest.raises(InvalidArgument) as exc:
            page([1], gpb.ListPartiesRequest(page_size=size))
        assert field_of(exc) == "page_size"


def test_a_page_token_of_one_list_is_refused_by_another_list():
    from zorgtafel.generated.governance.v1 import governance_pb2 as gpb
    from zorgtafel.kernel.paging import page

    # Both unfiltered: the two requests serialise alike, only their type tells them apart.
    _, token = page(list(range(10)), gpb.ListPartiesRequest(page_size=3))
    with pytest.raises(InvalidArgument) as exc:
        page(list(range(10)), gpb.ListProcessDirectorsRequest(page_size=3, page_token=token))
    assert field_of(exc) == "page_token"


# -- the roster: appointments, not claims (issue #13) -----------------------------------------
def roster_projection(tmp_path):
    """A service's roster projection and ``change``, governance's RosterChanged applied to it
    as the kernel's consumer applies it."""
    from zorgtafel.contracts import events as ev
    from zorgtafel.kernel.events import InboundEvent
    from zorgtafel.kernel.roster import Roster, on_roster_changed
    from zorgtafel.kernel.schema import party_status_consumption

    factory, engine, tables = kernel_store(tmp_path, EventRegistry([]))
    consumed = party_status_consumption()[ev.TOPIC["governance"]]
    assert consumed[ev.ROSTER_CHANGED] is on_roster_changed  # every service subscribes

    def change(
        person: str,
        held: bool,
        function: str = "process_director",
        at: str = "2026-12-01T10:00:00+00:00",
    ) -> None:
        data = {
            "function": function,
            "party": "00000099000000000002",
            "person": person,
            "held": held,
            "changed_at": at,
        }
        event = InboundEvent(
            id="e",
            type=ev.ROSTER_CHANGED,
            source="/g",
            time=None,
            subject=None,
            data=data,
            payload=ev.parse(ev.ROSTER_CHANGED, data),
        )
        with factory() as uow:
            on_roster_changed(uow, event)
            uow.commit()

    return change, Roster(engine, tables["roster"]), engine


def test_the_roster_holds_only_what_governance_appointed_and_forgets_a_revocation(tmp_path):
    change, roster, engine = roster_projection(tmp_path)
    party = "00000099000000000002"
    assert not roster.holds("process_director", party, "pd-1")  # unknown: holds nothing
    change("pd-1", True)
    change("pd-1", True)  # delivered twice: still one appointment
    change("pd-1", True, function="manager")
    assert roster.holds("process_director", party, "pd-1")
    assert roster.functions(party, "pd-1") == ["manager", "process_director"]
    assert not roster.holds("process_director", "00000099000000000001", "pd-1")  # other party
    change("pd-1", False)
    assert not roster.holds("process_director", party, "pd-1")
    assert roster.functions(party, "pd-1") == ["manager"]
    engine.dispose()


def test_a_designation_that_arrives_after_its_later_revocation_grants_nothing(tmp_path):
    """Designated, then revoked (art. 12.1): RosterChanged says when governance decided each
    (``changed_at``), but the projection applied whichever came last. A designation delivered
    after the revocation that ended it (a re-sent batch, a partition moved) made the person a
    process director again in every service, with the nominations and cases that follow."""
    change, roster, engine = roster_projection(tmp_path)
    party = "00000099000000000002"
    change("pd-1", True, at="2026-12-01T10:00:00+00:00")
    change("pd-1", False, at="2026-12-01T11:00:00+00:00")
    change("pd-1", True, at="2026-12-01T10:00:00+00:00")  # the designation, delivered late
    assert not roster.holds("process_director", party, "pd-1")
    change("pd-1", True, at="2026-12-01T12:00:00+00:00")  # designated again, later
    assert roster.holds("process_director", party, "pd-1")
    change("pd-1", True, at="2026-12-01T12:30:00+01:00")  # 11:30 UTC: older, grants nothing
    change("pd-1", False, at="2026-12-01T13:00:00+01:00")  # 12:00 UTC: an end always applies
    assert not roster.holds("process_director", party, "pd-1")
    change("pd-1", True, at="not a time")  # cannot be placed: not applied (fail closed)
    assert not roster.holds("process_director", party, "pd-1")
    engine.dispose()
