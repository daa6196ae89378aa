"""One call to a service with the signed-in person's token, exactly as a partner system sends
it, and the service's refusal turned into something a page can show."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

# The policy the services' interceptors decide every call's role with (kernel/interceptors.py).
ROLE_POLICY = "zorgtafel.authz"

# "art. 16.2", "art. 12.2f", "Bijlage 3": the covenant references a policy reason cites.
_ARTICLE = re.compile(r"\b(?:art\.\s*\d+(?:\.\d+)?[a-z]?|Bijlage\s+\d+)")


@dataclass(frozen=True)
class Refusal:
    """A reason the service gave, with the covenant articles it cites."""

    text: str
    articles: tuple[str, ...]


@dataclass
class ServiceError(Exception):
    """A service said no (or could not answer). ``code`` is the gRPC status name."""

    code: str
    reasons: list[Refusal] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    # The service's own message for a bad request or a wrong state: the services put no
    # personal data in errors, so it may be shown.
    message: str = ""
    # A refusal that answers as for an id never given out (the kernel's NotShared: no policy,
    # no decision): the object is none of the caller's, so a page answers it as such without
    # reading the object again (that read, refused too, was a second refusal of one action).
    not_shared: bool = False
    # A refusal by the role table (policy zorgtafel.authz, decided before the service reads
    # anything): it depends only on the person's role and the method, alike for any id, so a
    # page shows its reasons at once, without reading the object after it (a second refusal).
    by_role: bool = False

    @property
    def signed_out(self) -> bool:
        return self.code == "UNAUTHENTICATED"


def refusals(texts: list[str]) -> list[Refusal]:
    return [Refusal(t, tuple(dict.fromkeys(_ARTICLE.findall(t)))) for t in texts if t]


def _error(err: grpc.RpcError) -> ServiceError:
    code = err.code().name if isinstance(err, grpc.Call) else "UNKNOWN"
    reasons: list[str] = []
    fields: dict[str, str] = {}
    not_shared = by_role = False
    status = rpc_status.from_call(err) if isinstance(err, grpc.Call) else None
    details: list[Any] = list(status.details) if status else []
    for detail in details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            numbered = [
                (int(k.removeprefix("reason_")), v)
                for k, v in info.metadata.items()
                if k.startswith("reason_") and k.removeprefix("reason_").isdigit()
            ]
            reasons += [v for _, v in sorted(numbered)]
            decided = info.metadata.get("policy") or info.metadata.get("decision_id")
            not_shared = code == "PERMISSION_DENIED" and not decided
            by_role = code == "PERMISSION_DENIED" and info.metadata.get("policy") == ROLE_POLICY
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            br = error_details_pb2.BadRequest()
            detail.Unpack(br)
            fields.update({v.field: v.description for v in br.field_violations})
    if not reasons and code == "PERMISSION_DENIED" and isinstance(err, grpc.Call):
        # Older servers put the policy's reasons in the details, separated by "; ".
        reasons = [r.strip() for r in (err.details() or "").split(";") if r.strip()]
    message = ""
    if code in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "NOT_FOUND", "ALREADY_EXISTS"):
        message = (err.details() or "") if isinstance(err, grpc.Call) else ""
    return ServiceError(code, refusals(reasons), fields, message[:500], not_shared, by_role)


class Caller:
    """Calls stubs with one person's token; never logs the request or the answer."""

    def __init__(self, token: str, timeout: float) -> None:
        self._metadata = (("authorization", f"Bearer {token}"),)
        self._timeout = timeout

    def __call__(self, method: Callable[..., Any], request: Any) -> Any:
        try:
            return method(request, metadata=self._metadata, timeout=self._timeout)
        except grpc.RpcError as err:
            raise _error(err) from None
