"""The kernel's services in the authorisation matrix (issues #14, #15): every service serves its
own access log (``AccessLogService``) and its subject data export (``SubjectDataService``); each
service's spec places their RPCs on its own fresh resource with these builders.

Who may (``policies/rego/authz/data.json``, ``zorgtafel.accesslog`` operation
``query_access_log``, ``zorgtafel.subjectdata.export``):

* ``ListAccess``: the privacy officer or auditor of a party the records concern as controller
  (its people read, or it provided what was read). For a case or subject another party's
  officer is refused or answered nothing of it: the reply is judged by what it carries
  (``log_reply``), so that an OK holding only the caller's own party's refused attempts, with
  nothing of the resource in them, is the refusal it should be, and an OK holding the
  subject's pseudonym, the controller or another party's look is a leak. A worker reads no log.
* ``GetCheckpoint``, ``VerifyLog``: sizes, roots, signatures and a record's number, no personal
  data: every active party's privacy officer and auditor (PUBLIC, claimed as auditor).
* ``ExportSubjectData``: only the privacy officer of a controller of the subject's data there
  (by the service's own facts); the controller's auditor (the part and colleague cells) and
  every other party's officer are refused (OVERSIGHT, the others claim ``auditor``). Governance
  holds no data about subjects and says so to any active privacy officer (PUBLIC; its reply is
  judged: records in it would be a leak).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from google.protobuf.message import Message

from tests.matrix.framework import OVERSIGHT, PUBLIC, Caller, Target
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sd

NOTHING = "OK_NOTHING"  # answered, but nothing of the resource: the refusal of a listing
HELD = "OK_HOLDING_RECORDS"  # governance answered with records about a subject: a leak


def log_reply(reply: Message, resource: Mapping[str, Any], caller: Caller) -> str:
    """ "OK" when the listing carries something of the resource beyond what the caller's own
    party did and asked: another party's look, the subject's pseudonym, the controller or a
    recipient other than the caller's party, the sections or items looked at."""
    assert isinstance(reply, al.ListAccessResponse)
    for e in reply.entries:
        if (
            e.party != caller.party
            or e.subject_pseudonym
            or e.provider not in ("", caller.party)
            or e.recipient not in ("", caller.party)
            or e.resource
        ):
            return "OK"
    return NOTHING


def list_access(request: Callable[[Mapping[str, Any]], Message], controller: str) -> Target:
    """``ListAccess`` on a resource whose records concern ``controller``'s party (a key into
    the resource naming a person of it): its privacy officer is the oversight cell; the part
    and colleague cells are its workers (a worker reads no log)."""
    return Target(OVERSIGHT, request, "caseworker", controller, reply=log_reply)


def checkpoint(person: str) -> Target:
    return Target(PUBLIC, lambda r: al.GetCheckpointRequest(), "auditor", person)


def verify_log(person: str) -> Target:
    return Target(PUBLIC, lambda r: al.VerifyLogRequest(), "auditor", person)


def export_reply(reply: Message, resource: Mapping[str, Any], caller: Caller) -> str:
    """The controller's privacy officer gets the subject's records, not an empty export."""
    assert isinstance(reply, sd.ExportSubjectDataResponse)
    return "OK" if any(s.records for s in reply.sections) else NOTHING


def nothing_held(reply: Message, resource: Mapping[str, Any], caller: Caller) -> str:
    assert isinstance(reply, sd.ExportSubjectDataResponse)
    held = any(s.records for s in reply.sections) or reply.withheld or reply.case_ids
    return HELD if held or not reply.note else "OK"


def export(case: Callable[[Mapping[str, Any]], str], controller: str) -> Target:
    """``ExportSubjectData`` of the subject of ``case(resource)``, whose data there
    ``controller``'s party (a key into the resource) controls."""
    return Target(
        OVERSIGHT,
        lambda r: sd.ExportSubjectDataRequest(case_id=case(r)),
        "auditor",
        controller,
        reply=export_reply,
    )


def export_nothing_held(person: str) -> Target:
    """Governance: any case id, any active party's privacy officer: "nothing held"."""
    return Target(
        PUBLIC,
        lambda r: sd.ExportSubjectDataRequest(case_id="case-anything"),
        "privacy_officer",
        person,
        reply=nothing_held,
    )


def targets(
    *,
    log: Callable[[Mapping[str, Any]], Message],
    log_controller: str,
    export_target: Target,
    person: str,
) -> dict[str, Target]:
    """The kernel's RPCs, keyed as the matrix enumerates them (``Service.Method``)."""
    return {
        "AccessLogService.ListAccess": list_access(log, log_controller),
        "AccessLogService.GetCheckpoint": checkpoint(person),
        "AccessLogService.VerifyLog": verify_log(person),
        "SubjectDataService.ExportSubjectData": export_target,
    }
