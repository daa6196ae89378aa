"""Signing in and out: OpenID Connect against the party's identity provider, and in a
development suite only, a development login for the demo's people."""

from __future__ import annotations

from typing import Any

import jwt
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from services.console.adapters.identity import (
    DEMO_PEOPLE,
    DEV_TOKEN_TTL_S,
    demo_person,
    dev_token,
    person_of,
)
from services.console.entrypoints.common import safe_next, settings
from services.console.settings import ConsoleSettings

bp = Blueprint("auth", __name__)


def register_oidc(app: Flask, s: ConsoleSettings) -> None:
    oauth = OAuth(app)
    oauth.register(
        "idp",
        server_metadata_url=s.oidc_metadata_url,
        client_id=s.oidc_client_id,
        client_secret=s.oidc_client_secret or None,
        client_kwargs={"scope": s.oidc_scope, "code_challenge_method": "S256"},
    )
    app.extensions["console.oauth"] = oauth


def _sign_in(token: str, label: str) -> None:
    lang = session.get("lang")
    session.clear()
    session.regenerate()  # type: ignore[attr-defined]
    session["token"] = token
    session["label"] = label
    if lang:
        session["lang"] = lang


@bp.get("/login")
def login() -> ResponseReturnValue:
    s = settings()
    return render_template(
        "login.html",
        dev=s.dev,
        oidc=s.oidc_configured,
        people=DEMO_PEOPLE if s.dev else (),
    )


@bp.post("/login/dev")
def dev_login() -> ResponseReturnValue:
    s = settings()
    if not s.dev:
        abort(404)  # refused outside development: no such page there
    actor = demo_person(request.form.get("person", ""))
    if actor is None:
        return render_template(
            "login.html", dev=True, oidc=s.oidc_configured, people=DEMO_PEOPLE, unknown=True
        ), 400
    _sign_in(dev_token(s.data_dir, actor, DEV_TOKEN_TTL_S), actor.label)
    session["dev_person"] = actor.person
    return redirect(url_for("pages.home"))


@bp.get("/login/oidc")
def oidc_login() -> ResponseReturnValue:
    oauth: Any = current_app.extensions.get("console.oauth")
    if oauth is None:
        abort(404)
    response: ResponseReturnValue = oauth.idp.authorize_redirect(
        url_for("auth.oidc_callback", _external=True)
    )
    return response


@bp.get("/auth/callback")
def oidc_callback() -> ResponseReturnValue:
    oauth: Any = current_app.extensions.get("console.oauth")
    if oauth is None:
        abort(404)
    try:
        answer = oauth.idp.authorize_access_token()
    except OAuthError:
        abort(400)  # a forged or replayed state, or the IdP refused the code
    token = answer.get(settings().oidc_token) or answer.get("id_token")
    try:
        p = person_of(token) if token else None
    except jwt.PyJWTError:
        p = None  # an opaque token: the services could not verify it either
    if p is None or not (p.person and p.party and p.role):
        abort(401)
    _sign_in(token, p.person)
    return redirect(url_for("pages.home"))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
        session.regenerate()  # type: ignore[attr-defined]
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> ResponseReturnValue:
    if request.form.get("lang") in ("nl", "en"):
        session["lang"] = request.form["lang"]
    return redirect(safe_next(request.form.get("next")))
