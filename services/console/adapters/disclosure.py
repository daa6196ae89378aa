"""Disclosure (requesting an item for a purpose, the access log) as the console uses it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.console.adapters.calls import Caller, Refusal, ServiceError, refusals
from services.console.adapters.privacy import PrivacyOffice
from zorgtafel.generated.common.v1 import common_pb2 as common
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as ds_grpc

# The purposes of use the covenant's work process names (art. 16.2).
PURPOSES = ("care_coordination", "safety", "enforcement")
# Categories of information, matched against a role's information need (art. 8.4c).
CATEGORIES = ("care_history", "police_record", "housing", "income", "health", "safety")
CLASSIFICATIONS = tuple(
    n.removeprefix("CLASSIFICATION_").lower() for n in ds.Classification.keys()[1:]
)
LEGAL_BASES = tuple(n.removeprefix("LEGAL_BASIS_").lower() for n in ds.LegalBasis.keys()[1:])
# The choices of an item's usage terms, as the provide forms (a new item, a correction) offer them.
TERM_CHOICES = {
    "purposes": PURPOSES,
    "categories": CATEGORIES,
    "classifications": CLASSIFICATIONS,
    "legal_bases": LEGAL_BASES,
}


def terms_from_form(form: Any) -> dict[str, Any]:  # a werkzeug MultiDict
    """The content and usage terms a provide form sent, as ``provide``'s keywords: a value not
    among the choices is sent as unset, so the service names the field that is missing."""

    def chosen(name: str, choices: tuple[str, ...]) -> str:
        value = form.get(name, "")
        return value if value in choices else ""

    return {
        "category": chosen("category", CATEGORIES),
        "classification": chosen("classification", CLASSIFICATIONS),
        "legal_basis": chosen("legal_basis", LEGAL_BASES),
        "text": form.get("content", ""),
        "purposes": [p for p in form.getlist("purposes") if p in PURPOSES],
        "pre_read_allowed": "pre_read_allowed" in form,
    }


def _enum(enum: Any, prefix: str, code: str) -> Any:  # the generated enum type
    return enum.Value(f"{prefix}{code.upper()}") if code else 0


@dataclass(frozen=True)
class Released:
    item_id: str
    category: str
    provider: str
    content_type: str
    text: str
    redacted_fields: tuple[str, ...]
    reasons: tuple[Refusal, ...]


@dataclass(frozen=True)
class Withheld:
    item_id: str
    reasons: tuple[Refusal, ...]


@dataclass(frozen=True)
class Answer:
    released: tuple[Released, ...]
    withheld: tuple[Withheld, ...]


@dataclass(frozen=True)
class LogEntry:
    time: datetime | None
    party: str
    person: str
    role: str
    action: str
    purpose: str
    case_id: str
    provider: str
    recipient: str
    result: str
    emergency: bool
    reasons: tuple[Refusal, ...]


# The access log is shown a page of disclosure's at a time.
LOG_PAGE_SIZE = 200


@dataclass(frozen=True)
class LogPage:
    rows: tuple[LogEntry, ...]
    next_page_token: str  # disclosure's continuation (AIP-158), empty on the last page


@dataclass(frozen=True)
class LogCheck:
    intact: bool
    records: int
    signed: int
    unsigned: int


def _text(content: bytes, content_type: str) -> str:
    # Shown as text only; the page escapes it. Binary items are not rendered.
    if content_type.startswith("text/") or content_type.endswith("json"):
        return content.decode("utf-8", "replace")
    return ""


class Disclosure:
    def __init__(self, stub: ds_grpc.DisclosureServiceStub) -> None:
        self._stub = stub
        # The privacy officer's and the override's calls, on the same channel.
        self.privacy = PrivacyOffice(stub)

    def request(self, call: Caller, case_id: str, item_id: str, purpose: str) -> Answer:
        """Ask for one item of the case whose page asks for it, for a purpose (the service
        answers for an item of another case as for one it does not hold: never shown under this
        case). A refusal of every item is an answer too (the service says PERMISSION_DENIED
        with its reasons), shown as a withheld item."""
        try:
            reply = call(
                self._stub.RequestDisclosure,
                ds.RequestDisclosureRequest(
                    item_ids=[item_id],
                    case_id=case_id,
                    purpose=purpose,
                    action=ds.DISCLOSURE_ACTION_READ,
                ),
            )
        except ServiceError as err:
            if err.code != "PERMISSION_DENIED":
                raise
            return Answer((), (Withheld(item_id, tuple(err.reasons)),))
        return Answer(
            tuple(
                Released(
                    i.item_id,
                    i.category,
                    i.provider,
                    i.content_type,
                    _text(i.content, i.content_type),
                    tuple(i.redacted_fields),
                    tuple(refusals(list(i.reasons))),
                )
                for i in reply.items
            ),
            tuple(Withheld(d.item_id, tuple(refusals(list(d.reasons)))) for d in reply.denied),
        )

    def provide(
        self,
        call: Caller,
        case_id: str,
        *,
        category: str,
        classification: str,
        legal_basis: str,
        text: str,
        purposes: list[str],
        pre_read_allowed: bool,
        supersedes: str = "",
    ) -> str:
        """The provider's item with its usage terms (art. 16.2): plain text from a form; with
        ``supersedes``, the corrected version of its own item (Bijlage 3, GDPR art. 16)."""
        reply = call(
            self._stub.Provide,
            ds.ProvideRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                category=category,
                classification=_enum(ds.Classification, "CLASSIFICATION_", classification),
                legal_basis=_enum(ds.LegalBasis, "LEGAL_BASIS_", legal_basis),
                content_type="text/plain",
                content=text.encode("utf-8"),
                terms=common.UsageTerms(purposes=purposes, pre_read_allowed=pre_read_allowed),
                supersedes=supersedes,
            ),
        )
        return str(reply.item_id)

    def access_log(
        self,
        call: Caller,
        *,
        provider: str = "",
        subject_pseudonym: str = "",
        page_token: str = "",  # nosec B107 - a list position, not a secret
    ) -> LogPage:
        """A page of the access log, newest first: the looks at one subject's information, or
        at the provider's, with disclosure's token of the next page ("" on the last)."""
        req = (
            ds.AccessLogRequest(
                subject_pseudonym=subject_pseudonym,
                page_size=LOG_PAGE_SIZE,
                page_token=page_token,
            )
            if subject_pseudonym
            else ds.AccessLogRequest(
                provider=provider, page_size=LOG_PAGE_SIZE, page_token=page_token
            )
        )
        reply = call(self._stub.AccessLog, req)
        rows = tuple(
            LogEntry(
                e.time.ToDatetime() if e.time.seconds else None,
                e.party,
                e.person,
                e.role,
                e.action,
                e.purpose,
                e.case_id,
                e.provider,
                e.recipient,
                e.result,
                e.emergency,
                tuple(refusals(list(e.reasons))),
            )
            for e in reply.entries
        )
        return LogPage(rows, reply.next_page_token)

    def verify_log(self, call: Caller) -> LogCheck:
        r = call(self._stub.VerifyLog, ds.VerifyLogRequest())
        return LogCheck(r.intact, r.records, r.signed_size, r.unsigned_records)
