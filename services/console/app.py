"""The console's app factory. Nothing happens at import: ``create_app`` builds the Flask app,
its server-side sessions, CSRF protection, translations and security headers, and the clients
of the four services (channels connect lazily, on the first call)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import Babel
from flask_wtf.csrf import CSRFError, CSRFProtect

from services.console.adapters.calls import ServiceError
from services.console.adapters.identity import person_of
from services.console.adapters.parties import ACTIVE, PartyStatuses
from services.console.adapters.services import Services
from services.console.adapters.sessions import (
    ServerSessionInterface,
    SqlStore,
    anonymous_keys,
    make_engine,
    session_keys,
)
from services.console.entrypoints import (
    actions,
    auth,
    bodies,
    breaches,
    cases,
    corrections,
    filters,
    intake,
    live,
    meeting,
    ops,
    pages,
    policy,
    privacy,
    rights,
    safety,
)
from services.console.entrypoints.common import caller, refused_by_role
from services.console.settings import ConsoleSettings
from services.console.translations import compile_catalogues
from zorgtafel.kernel.auth import OIN_RE

HERE = Path(__file__).parent
LOCALES = ("nl", "en")

# No inline script or style anywhere: the pages need no JavaScript and one stylesheet.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    # Pages show case data: never kept by the browser or a proxy.
    "Cache-Control": "no-store",
}

# What a link from another site may open (Fetch Metadata, ``Sec-Fetch-Site``): the start page
# and signing in (the IdP's redirect back is cross-site). Every other page calls the services in
# the signed-in person's name, and the SameSite=Lax cookie rides along on a top-level
# navigation: a hostile page could have the person's browser read case after case, writing
# refused attempts to the access logs in their name and spending their budget of refusals.
FROM_ELSEWHERE = ("cross-site", "same-site")
ENTRY_POINTS = ("pages.home", "static")

log = logging.getLogger("zorgtafel.console")


def create_app(
    settings: ConsoleSettings, services: Services | None = None, *, migrate: bool = True
) -> Flask:
    """``migrate=False`` when the sessions' database was migrated already (``serve`` does it in
    a child process, keeping Alembic out of the serving process)."""
    app = Flask(
        "services.console",
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # bound to the session, which has its own timeouts
        WTF_CSRF_SSL_STRICT=not settings.dev,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_DEFAULT_TIMEZONE="Europe/Amsterdam",
        BABEL_TRANSLATION_DIRECTORIES=str(
            compile_catalogues(settings.data_dir / "console" / "translations")
        ),
        PREFERRED_URL_SCHEME="http" if settings.dev else "https",
    )
    app.extensions["console.settings"] = settings
    app.extensions["console.services"] = services or Services.connect(settings)
    app.session_interface = ServerSessionInterface(
        _session_store(settings, migrate=migrate),
        secure=not settings.dev,
        anonymous=anonymous_keys(settings.secret_key, *settings.previous_secret_keys),
    )
    CSRFProtect(app)
    Babel(app, locale_selector=_locale)
    # Before anything else that may call the IdP or a service.
    app.before_request(_from_another_site)
    if settings.oidc_configured:
        auth.register_oidc(app, settings)

    for bp in (
        ops.bp,
        auth.bp,
        pages.bp,
        intake.bp,
        cases.bp,
        actions.bp,
        live.bp,
        meeting.bp,
        privacy.bp,
        rights.bp,
        breaches.bp,
        corrections.bp,
        safety.bp,
        policy.bp,
        bodies.bp,
    ):
        app.register_blueprint(bp)
    filters.register(app)

    app.extensions["console.parties"] = PartyStatuses()

    @app.before_request
    def who() -> Any:
        g.person = None
        token = session.get("token")
        if token:
            g.person = person_of(token, session.get("label", ""))
        endpoint = request.endpoint or ""
        public = endpoint == "static" or endpoint.startswith(("ops.", "auth."))
        if g.person is None and not public:
            return redirect(url_for("auth.login"))
        if g.person is not None and not public:
            return _party_still_served(g.person.party)
        return None

    @app.context_processor
    def context() -> dict[str, Any]:
        return {"person": g.get("person"), "dev": settings.dev, "lang": _locale()}

    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not settings.dev:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    @app.errorhandler(ServiceError)
    def service_error(err: ServiceError) -> Any:
        if err.signed_out:
            session.clear()
            return redirect(url_for("auth.login"))
        if err.by_role:
            return refused_by_role(err)
        if err.code in ("PERMISSION_DENIED", "NOT_FOUND"):
            # A refusal no page caught (any method: a read, a form's answer, the re-read of a
            # refused form's page): what the person may not see answers exactly as what does
            # not exist, so no page is an oracle of what exists (the service's reasons name
            # it). A page that shows a refusal's reasons first read the object itself (the
            # provide form excepted: it reads alike for any number, README). A refusal by the
            # role table, above, names no object and is shown on any page.
            return not_found_or_not_yours()
        status = {
            "INVALID_ARGUMENT": 400,
            "RESOURCE_EXHAUSTED": 429,  # the person's budget of refusals (kernel/refusals.py)
        }.get(err.code, 502 if err.code in ("UNAVAILABLE", "DEADLINE_EXCEEDED") else 409)
        # Back to the start after switching language: the refused path is not echoed.
        return render_template("error.html", error=err, back_to="/"), status

    @app.errorhandler(CSRFError)
    def csrf_error(_err: CSRFError) -> Any:
        return render_template("error.html", error=None, csrf=True, back_to="/"), 400

    @app.errorhandler(404)
    def not_found(_err: Exception) -> Any:
        return not_found_or_not_yours()

    return app


def _party_still_served(party: str) -> Any:
    """Every request of a signed-in person: a party excluded, withdrawn or no longer known
    after its people signed in ends their sessions here (the next page is the sign-in); when
    its status cannot be known now, no page is served (503), the session stays."""
    statuses: PartyStatuses = current_app.extensions["console.parties"]
    services: Services = current_app.extensions["console.services"]
    status = statuses.status(party, lambda: services.governance.party_status(caller(), party))
    if status == ACTIVE:
        return None
    if status is None:
        page = render_template("error.html", error=ServiceError("UNAVAILABLE"), back_to="/")
        return page, 503, {"Retry-After": "30"}
    log.warning(
        "session ended: party %s is no longer served (%s)",
        party if OIN_RE.fullmatch(party) else "?",
        status,
    )
    auth.sign_out()
    return redirect(url_for("auth.login"))


def not_found_or_not_yours() -> tuple[str, int]:
    """The one answer for a number never given out, a page that does not exist, and anything
    the person may not see (another party's case, request, notice, a case they have no part in),
    whatever the method: the same status and the same words, so no answer tells which."""
    return render_template("error.html", error=None, hidden=True, back_to="/"), 404


def _from_another_site() -> Any:
    """A request another site started goes to the start page, before any service is asked
    (a browser without Fetch Metadata sends no header and is served as before)."""
    if request.headers.get("Sec-Fetch-Site") not in FROM_ELSEWHERE:
        return None
    endpoint = request.endpoint or ""
    if endpoint in ENTRY_POINTS or endpoint.startswith(("ops.", "auth.")):
        return None
    return redirect(url_for("pages.home"), 303)


def _session_store(settings: ConsoleSettings, *, migrate: bool) -> SqlStore:
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, settings.effective_schema)
    if migrate:
        from services.console import migrations

        migrations.upgrade(engine, settings.effective_schema)
    keys = session_keys(settings.secret_key, *settings.previous_secret_keys)
    return SqlStore(engine, keys, settings.session_idle_s, settings.session_max_s)


def _locale() -> str:
    chosen = session.get("lang")
    if chosen in LOCALES:
        return str(chosen)
    # Dutch first: English only when the person chose it.
    return str(app_default())


def app_default() -> str:
    from flask import current_app

    return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "nl"))
