"""What every page needs: the signed-in person's caller, the services, the settings."""

from __future__ import annotations

import re
from typing import cast
from urllib.parse import urlsplit

from flask import Response, abort, current_app, g, make_response, render_template, session

from services.console.adapters.calls import Caller, ServiceError, refusals
from services.console.adapters.identity import (
    DEV_TOKEN_TTL_S,
    Person,
    demo_person,
    dev_token,
    token_expires_soon,
)
from services.console.adapters.services import Services
from services.console.settings import ConsoleSettings

# Case ids are UUIDs; anything else in a path is refused before a service is asked.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
# A page token is a service's opaque continuation (AIP-158): ids and times only, no personal
# data, so it may sit in a query string.
_PAGE_TOKEN = re.compile(r"^[A-Za-z0-9_=-]{1,512}$")


def settings() -> ConsoleSettings:
    return cast(ConsoleSettings, current_app.extensions["console.settings"])


def services() -> Services:
    return cast(Services, current_app.extensions["console.services"])


def person() -> Person:
    return cast(Person, g.person)


def caller() -> Caller:
    token = str(session["token"])
    dev_person = session.get("dev_person")
    if dev_person and settings().dev and token_expires_soon(token):
        # The services accept tokens of an hour at most; a development session outlives that
        # by minting a fresh one for the same demo person (an IdP's token simply ends it).
        actor = demo_person(str(dev_person))
        if actor is not None:
            token = dev_token(settings().data_dir, actor, DEV_TOKEN_TTL_S)
            session["token"] = token
    return Caller(token, settings().call_timeout_s)


def answered_at_once(error: ServiceError | None) -> None:
    """A form's refusal that needs no second read of the object to be shown is answered here,
    before the page would read it again (that read, refused too, was a second refusal of the
    one action, in the services' logs and the person's budget of refusals): one as for an id
    never given out is that answer (app.not_found_or_not_yours); one by the role table
    (zorgtafel.authz) is shown with its reasons, which are about the person's role and the
    method, the same for any id, real or never given out (no oracle)."""
    if error is None:
        return
    if error.not_shared:
        raise error
    if error.by_role:
        abort(refused_by_role(error))


def refused_by_role(error: ServiceError) -> Response:
    """A refusal by the role table (zorgtafel.authz), on any page and for any method: its
    reasons name only the person's party and role and the method, decided before the service
    reads anything, so they read alike for any id, real or never given out, and are shown
    (README, no oracle of what exists). Only a refusal by an object's own policy, which may
    name the object, gets the answer of a number never given out."""
    return make_response(render_template("error.html", error=error, back_to="/"), 403)


def refuse_unless_role(method: str, roles: tuple[str, ...]) -> None:
    """A page whose one call the role table (policies/rego/authz/data.json: ``roles`` of
    ``method``) refuses the person's role whatever the object answers its refusal at once, in
    the role table's words (zorgtafel.authz), without asking a service in the person's name:
    that ask could only be refused and counted in the person's budget of refusals."""
    role = person().role
    if role in roles:
        return
    words = ", ".join(f'"{r}"' for r in sorted(roles))
    reason = (
        f"The role {role} may not call {method}; allowed roles: [{words}] "
        "(Bijlage 3, authorisation model)."
    )
    abort(refused_by_role(ServiceError("PERMISSION_DENIED", refusals([reason]), by_role=True)))


def checked_id(value: str) -> str:
    value = (value or "").strip()
    if not _ID.match(value):
        abort(404)
    return value


def page_token(value: str) -> str:
    """A page token from a query string, or "" (the first page) for one that is no token."""
    return value if _PAGE_TOKEN.match(value) else ""


def remember(case_id: str) -> None:
    """Case ids this person worked on in this session (ids only, kept server-side): the
    worklist's way back to them until intake offers a list of its own."""
    recent = [c for c in session.get("recent", []) if c != case_id]
    session["recent"] = ([case_id] + recent)[:20]


def safe_next(target: str | None) -> str:
    """A path on this console to go back to, else "/". Browsers drop tabs and newlines from a
    URL and read a backslash as a slash, so "/<tab>/evil" or "/<backslash>evil" would leave the
    site as "//evil": any whitespace, control character or backslash is refused, and the path must
    parse with no scheme and no host and start with a single slash."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target
