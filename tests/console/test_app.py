"""The console's own guarantees, without a browser or the suite: production refuses the
development login and needs a secret, every POST needs its CSRF token, strict headers, an
opaque HttpOnly session cookie with timeouts, Dutch first, no personal data in URLs, and a
case one may not see looks exactly like a number never given out."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from services.console.adapters.calls import ServiceError, refusals
from services.console.adapters.sessions import MemoryStore
from services.console.app import create_app
from services.console.settings import ConfigError, ConsoleSettings
from zorgtafel.kernel.devkeys import ensure_dev_keys


class FakeIntake:
    def __init__(self) -> None:
        self.nominated = []

    def nominate(self, call, n):  # noqa: ANN001, ANN201
        self.nominated.append(n)
        return "case-0001"

    def nomination(self, call, case_id):  # noqa: ANN001, ANN201
        if case_id == "flooded":
            raise ServiceError("RESOURCE_EXHAUSTED")
        raise ServiceError(
            "NOT_FOUND" if case_id == "never" else "PERMISSION_DENIED",
            refusals([f"Party X is not involved in case {case_id} (art. 8.4c)."]),
        )


class FakeCasework:
    def case(self, call, case_id):  # noqa: ANN001, ANN201
        raise ServiceError(
            "NOT_FOUND" if case_id == "never" else "PERMISSION_DENIED",
            refusals([f"Party X is not involved in case {case_id} (art. 8.4c)."]),
        )


class FakeGovernance:
    def __init__(self) -> None:
        self.status: str | ServiceError = "active"
        self.asked = 0

    def party_names(self, call):  # noqa: ANN001, ANN201
        return {}

    def party_status(self, call, party):  # noqa: ANN001, ANN201
        self.asked += 1
        if isinstance(self.status, ServiceError):
            raise self.status
        return self.status


def fake_services():
    return SimpleNamespace(
        intake=FakeIntake(),
        casework=FakeCasework(),
        governance=FakeGovernance(),
        disclosure=None,
    )


@pytest.fixture
def dev_app(tmp_path):
    return dev_console(tmp_path, fake_services())


def dev_console(data_dir, services):  # noqa: ANN001, ANN201
    """The console app in development mode, its development keys made in ``data_dir``, asking
    the given stand-ins for the services (what the test is not about)."""
    ensure_dev_keys(data_dir)
    settings = ConsoleSettings.from_env(
        {"ZORGTAFEL_ENV": "dev", "ZORGTAFEL_DATA_DIR": str(data_dir)}
    )
    return create_app(settings, services)


def csrf(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def signed_in(app, person: str = "lh-bram"):
    client = app.test_client()
    r = client.post("/login/dev", data={"person": person, "csrf_token": csrf(client)})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    return client


def shown(client, url: str) -> str:  # noqa: ANN001
    """The page at ``url``, answered 200."""
    r = client.get(url)
    assert r.status_code == 200, url
    return r.get_data(as_text=True)


def one_partys_console(tmp_path) -> dict[str, str]:
    """The party a production console serves and its client certificate (ADR 0009; the files
    are read when connecting to the services, which these tests replace by fakes)."""
    return {
        "ZORGTAFEL_CONSOLE_PARTY": "00000099000000000051",
        **{
            f"ZORGTAFEL_CONSOLE_TLS_{n}_FILE": str(tmp_path / n.lower())
            for n in ("CA", "CERT", "KEY")
        },
    }


def test_production_needs_a_secret_and_has_no_development_login(tmp_path):
    with pytest.raises(ConfigError):
        ConsoleSettings.from_env({"ZORGTAFEL_DATA_DIR": str(tmp_path)})
    secret = tmp_path / "secret"
    secret.write_text("s" * 40)
    env = {
        "ZORGTAFEL_DATA_DIR": str(tmp_path),
        "ZORGTAFEL_CONSOLE_SECRET_KEY_FILE": str(secret),
        **one_partys_console(tmp_path),
    }
    for extra in ({}, {"ZORGTAFEL_ENV": "dev", "ZORGTAFEL_PRODUCTION": "true"}):
        settings = ConsoleSettings.from_env({**env, **extra})
        assert not settings.dev
        app = create_app(settings, fake_services())
        client = app.test_client()
        page = client.get("/login", base_url="https://console.example").get_data(as_text=True)
        assert "/login/dev" not in page and "lh-bram" not in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        r = client.post(
            "/login/dev",
            data={"person": "lh-bram", "csrf_token": token},
            base_url="https://console.example",
            headers={"Referer": "https://console.example/"},
        )
        assert r.status_code == 404
        assert "Strict-Transport-Security" in client.get("/login").headers


def test_the_development_login_is_marked_and_the_session_is_server_side(dev_app):
    client = dev_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "Ontwikkelomgeving" in page and '<html lang="nl">' in page
    client = signed_in(dev_app)
    cookie = client.get_cookie("zorgtafel_console")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert "." not in cookie.value and len(cookie.value) >= 40  # opaque id, not a signed token
    assert "Ingelogd als lh-bram" in client.get("/").get_data(as_text=True)


def test_every_post_needs_its_csrf_token(dev_app):
    client = signed_in(dev_app)
    for path in ("/nominations/new", "/logout", "/open", "/language"):
        assert client.post(path, data={}).status_code == 400, path
    assert client.post("/login/dev", data={"person": "lh-bram"}).status_code == 400


def test_strict_headers_on_every_page(dev_app):
    client = signed_in(dev_app)
    for path in ("/", "/login", "/nominations/new", "/readyz"):
        h = client.get(path).headers
        assert "'unsafe-inline'" not in h["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert h["Referrer-Policy"] == "no-referrer"
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Cache-Control"] == "no-store"


def test_signed_out_people_see_only_the_login(dev_app):
    client = dev_app.test_client()
    for path in ("/", "/worklist", "/cases/abc", "/nominations/abc", "/privacy/access-log"):
        r = client.get(path)
        assert r.status_code == 302 and r.headers["Location"] == "/login", path


def test_a_nomination_puts_no_personal_data_in_the_url(dev_app):
    client = signed_in(dev_app)
    r = client.post(
        "/nominations/new",
        data={
            "csrf_token": csrf(client, "/nominations/new"),
            "given_names": "Maria",
            "family_name": "Ionescu",
            "bsn": "123456782",
            "date_of_birth": "2001-04-17",
            "problems": ["housing", "safety"],
        },
    )
    assert r.status_code == 302
    assert r.headers["Location"] == "/nominations/case-0001/received"
    n = dev_app.extensions["console.services"].intake.nominated[0]
    assert (n.family_name, n.bsn, n.problems) == ("Ionescu", "123456782", ("housing", "safety"))


def test_a_case_one_may_not_see_looks_like_one_that_does_not_exist(dev_app):
    client = signed_in(dev_app)
    for path in ("/cases/{}", "/nominations/{}", "/cases/{}/request"):
        refused = client.get(path.format("real-case"))
        unknown = client.get(path.format("never"))
        assert refused.status_code == unknown.status_code == 404
        strip = re.compile(r'name="csrf_token" value="[^"]+"')
        assert strip.sub("", refused.get_data(as_text=True)) == strip.sub(
            "", unknown.get_data(as_text=True)
        )
        assert "real-case" not in refused.get_data(as_text=True)


def test_a_link_from_another_site_opens_the_start_page_and_asks_no_service(dev_app):
    """A hostile page may send a signed-in person's browser to a case's number (a top-level
    navigation carries the SameSite=Lax cookie): the console would then read the case in that
    person's name, writing a refused attempt to the access log and spending their budget of
    refusals. A request from another site (Fetch Metadata) opens only the start page and the
    sign-in; the same page from the console itself, or typed in, is served as before."""
    client = signed_in(dev_app)
    asked: list[str] = []
    casework = dev_app.extensions["console.services"].casework
    real = casework.case
    casework.case = lambda call, case_id: asked.append(case_id) or real(call, case_id)
    for site in ("cross-site", "same-site"):
        for path in ("/cases/real-case", "/cases/real-case/events", "/nominations/real-case"):
            r = client.get(path, headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "navigate"})
            assert r.status_code == 303 and r.headers["Location"] == "/", (site, path)
        assert client.get("/", headers={"Sec-Fetch-Site": site}).status_code == 200
        assert client.get("/login", headers={"Sec-Fetch-Site": site}).status_code == 200
    assert asked == []
    for site in ("same-origin", "none", None):
        headers = {"Sec-Fetch-Site": site} if site else {}
        assert client.get("/cases/real-case", headers=headers).status_code == 404
    assert asked == ["real-case"] * 3


def test_no_form_lets_the_browser_keep_what_was_typed_in_a_text_field():
    """A browser keeps what was typed in a text field and offers it again in any field of that
    name: on a shared workstation the grounds of one person's assessment would be offered to
    the next user in another nomination. Every text field of a form that is sent has
    ``autocomplete="off"``, itself or through its form."""
    from pathlib import Path

    import services.console

    templates = Path(services.console.__file__).parent / "templates"
    kept = []
    for template in sorted(templates.glob("*.html")):
        for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", template.read_text(), re.S):
            attrs, body = form.groups()
            if 'method="post"' not in attrs or 'autocomplete="off"' in attrs:
                continue
            for field in re.findall(r"<input\b[^>]*>", body):
                kind = re.search(r'type="([^"]+)"', field)
                if (kind.group(1) if kind else "text") in ("text", "search", "email", "tel"):
                    if 'autocomplete="off"' not in field:
                        kept.append(f"{template.name}: {field[:60]}")
    assert kept == []


def test_a_person_past_the_budget_of_refusals_is_told_to_wait_not_shown_an_error(dev_app):
    page = signed_in(dev_app).get("/nominations/flooded")
    assert page.status_code == 429
    text = page.get_data(as_text=True)
    assert "Te veel geweigerde verzoeken" in text and "Probeer het over een minuut" in text
    assert "flooded" not in text


def test_english_second(dev_app):
    client = signed_in(dev_app)
    r = client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf(client, "/")})
    assert r.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Signed in as lh-bram" in page
    # an open redirect is refused
    r = client.post(
        "/language", data={"lang": "nl", "next": "//evil.example", "csrf_token": csrf(client, "/")}
    )
    assert r.headers["Location"] == "/"


def test_language_next_that_a_browser_reads_as_another_site_goes_home(dev_app):
    """Browsers drop tabs and newlines from a URL and read a backslash as a slash: each of
    these would leave the console as "//evil.example"; a path of its own is kept."""
    client = signed_in(dev_app)
    for target in ("/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/ /evil.example"):
        r = client.post(
            "/language",
            data={"lang": "en", "next": target, "csrf_token": csrf(client, "/")},
        )
        assert r.status_code == 302 and r.headers["Location"] == "/", target
    r = client.post(
        "/language",
        data={"lang": "en", "next": "/governance?x=1", "csrf_token": csrf(client, "/")},
    )
    assert r.headers["Location"] == "/governance?x=1"


def test_sessions_end_after_idle_and_absolute_timeouts(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("services.console.adapters.sessions.time.monotonic", lambda: now[0])
    store = MemoryStore(idle_s=60, max_s=300)
    store.put("a", {"token": "t"}, new=True)
    now[0] += 59
    assert store.get("a") == {"token": "t"}
    now[0] += 61
    assert store.get("a") is None
    store.put("b", {"token": "t"}, new=True)
    for _ in range(7):
        now[0] += 50
        store.get("b")
    assert store.get("b") is None  # past the absolute limit however busy


def test_refusal_reasons_keep_their_articles():
    (r,) = refusals(
        ["The provider allows use only for care (art. 16.2, need to know per Bijlage 3)."]
    )
    assert r.articles == ("art. 16.2", "Bijlage 3")


def test_every_string_has_a_dutch_translation():
    """Dutch first: every translatable string of the code and the templates is in the nl
    catalogue with a translation (pybabel extract, as services/console/README.md says)."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2] / "services" / "console"
    found = {
        msg
        for _, _, msg, _, _ in extract_from_dir(
            str(root),
            method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
            keywords={"_": None, "gettext": None, "_l": None, "lazy_gettext": None},
        )
    }
    with (root / "translations/nl/LC_MESSAGES/messages.po").open("rb") as f:
        nl = {m.id: m.string for m in read_po(f) if m.id}
    missing = sorted(m for m in found if not nl.get(m))
    assert found and not missing, missing


def test_openid_connect_sign_in_starts_at_the_partys_identity_provider(tmp_path):
    import time
    from urllib.parse import parse_qs, urlparse

    secret = tmp_path / "secret"
    secret.write_text("s" * 40)
    client_secret = tmp_path / "client-secret"
    client_secret.write_text("c" * 20)
    settings = ConsoleSettings.from_env(
        {
            "ZORGTAFEL_DATA_DIR": str(tmp_path),
            "ZORGTAFEL_CONSOLE_SECRET_KEY_FILE": str(secret),
            "ZORGTAFEL_CONSOLE_OIDC_METADATA_URL": "https://idp.example/.well-known/openid-configuration",
            "ZORGTAFEL_CONSOLE_OIDC_CLIENT_ID": "zorgtafel-console",
            "ZORGTAFEL_CONSOLE_OIDC_CLIENT_SECRET_FILE": str(client_secret),
            **one_partys_console(tmp_path),
        }
    )
    app = create_app(settings, fake_services())
    idp = app.extensions["console.oauth"].idp
    # The metadata the IdP would serve (no network in a unit test).
    idp.server_metadata = {
        "issuer": "https://idp.example",
        "authorization_endpoint": "https://idp.example/authorize",
        "token_endpoint": "https://idp.example/token",
        "jwks_uri": "https://idp.example/jwks",
        "_loaded_at": time.time(),
    }
    client = app.test_client()
    base = "https://console.example"
    assert "/login/oidc" in client.get("/login", base_url=base).get_data(as_text=True)
    r = client.get("/login/oidc", base_url=base)
    assert r.status_code == 302
    url = urlparse(r.headers["Location"])
    q = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://idp.example/authorize"
    assert q["client_id"] == ["zorgtafel-console"] and q["response_type"] == ["code"]
    assert q["code_challenge_method"] == ["S256"] and q["state"] and q["nonce"]
    assert q["redirect_uri"] == ["https://console.example/auth/callback"]
    # The callback with a forged state is refused; nobody is signed in.
    r = client.get("/auth/callback?code=x&state=forged", base_url=base)
    assert r.status_code == 400
    assert client.get("/", base_url=base).headers["Location"] == "/login"


def test_a_withdrawn_consent_is_shown_beside_the_statement_made_at_nomination(tmp_path):
    """Whoever reads a nomination shares on the consent as it stands (Bijlage 3, GDPR art.
    7(3)): a withdrawal recorded in disclosure shows, not the nominating party's statement."""
    from services.console.adapters.intake import NominationView

    view = NominationView(
        case_id="case-0001",
        status="nominated",
        nominating_party="00000099000000000051",
        subject_pseudonym="",
        subject_name="",
        age_band="16_plus",
        problems=(),
        chains=(),
        consent="given",
        consent_now="withdrawn",
        safety=(),
        nominated_at=None,
        criteria={},
        advice_reasons=(),
        qualifies=False,
        assessment_reasons="",
        asked_parties=(),
        triage_answers=(),
        triage_deadline=None,
        routing="",
        process_director_person="",
    )
    services = fake_services()
    services.intake.nomination = lambda call, case_id: view
    page = signed_in(dev_console(tmp_path, services)).get("/nominations/case-0001")
    text = re.sub(r"\s+", " ", page.get_data(as_text=True))
    assert "<dt>Toestemming</dt><dd>Ingetrokken (bij de aanmelding opgegeven: Gegeven)</dd>" in text


class Refusing:
    """A service that refuses everything about an object: NOT_FOUND for the number never given
    out ("never"), PERMISSION_DENIED with reasons naming it for one that exists but is not the
    caller's (as the services answer), whatever the method (reads and writes alike)."""

    def __getattr__(self, name: str):  # noqa: ANN204
        if name == "privacy":
            return Refusing()

        def refuse(call, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            named = [*args, *kwargs.values()]
            if "never" in named:
                raise ServiceError("NOT_FOUND", message="case never not found")
            raise ServiceError(
                "PERMISSION_DENIED",
                refusals(["Party X is not involved in case real-case (art. 8.4c)."]),
            )

        return refuse

    def schedule(self, call, case_id, **kwargs):  # noqa: ANN001, ANN003, ANN201
        """As casework's ScheduleMeeting answers a case the caller's party has no part in (one
        awaiting a director that it may not take over too): as a case never given out (the
        kernel's NotShared, no reasons), whatever the number, so the take-over form shows it
        as it comes, without reading the case after it."""
        raise ServiceError("PERMISSION_DENIED", not_shared=True)

    def provide(self, call, case_id, **kwargs):  # noqa: ANN001, ANN003, ANN201
        """As disclosure's Provide answers a party with no part in the case: the same words for
        any case number, real or never given out, and none of them names it."""
        raise ServiceError("PERMISSION_DENIED", refusals([PROVIDE_REFUSED]))


PROVIDE_REFUSED = (
    "Party X has no part in the case as disclosure knows it; it provides nothing for it "
    "(art. 15.1, 8.4c, Bijlage 3)."
)
# The forms that show their service's refusal as it comes, without reading the object after
# it (that read was a second refusal of one action): their service answers a number that is
# not the person's exactly as one never given out (``Refusing.provide``).
SHOWN_AS_GIVEN = {("POST", "/cases/<case_id>/provide")}
# The forms the role table refuses this caseworker whatever the case answer its refusal at
# once, alike for any number (common.refuse_unless_role).
REFUSED_BY_ROLE = {
    ("GET", "/cases/<case_id>/escalate"),
    ("GET", "/cases/<case_id>/purge"),
    ("GET", "/cases/<case_id>/take-over"),
    ("GET", "/governance/meetings/<meeting_id>"),
    ("GET", "/governance/proposals/<proposal_id>"),
}


def test_an_outsider_gets_one_answer_for_unknown_and_not_yours_on_every_route(tmp_path):
    """Every route with a number in its path, GET and POST: a number that exists but is none of
    the person's answers exactly as a number never given out (status and text), so no page and
    no refused form is an oracle of what exists."""
    refusing = Refusing()
    services = SimpleNamespace(
        intake=refusing,
        casework=refusing,
        meeting=refusing,
        disclosure=refusing,
        governance=FakeGovernance(),
        bodies=refusing,
    )
    app = dev_console(tmp_path, services)
    client = signed_in(app)
    token = csrf(client)
    strip = re.compile(r'name="csrf_token" value="[^"]+"')
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            answers = []
            for number in ("real-case", "never"):
                path = rule.build({a: number for a in rule.arguments})[1]
                r = client.open(path, method=method, data={"csrf_token": token})
                text = strip.sub("", r.get_data(as_text=True)).replace(number, "<n>")
                answers.append((r.status_code, text))
            refused, unknown = answers
            assert refused == unknown, (method, rule.rule, refused[0], unknown[0])
            if (method, rule.rule) in SHOWN_AS_GIVEN:
                assert refused[0] == 403 and PROVIDE_REFUSED in refused[1], (method, rule.rule)
            elif (method, rule.rule) in REFUSED_BY_ROLE:
                assert refused[0] == 403 and "may not call" in refused[1], (method, rule.rule)
            else:
                assert refused[0] in (200, 404), (method, rule.rule, refused[0])
            assert "art. 8.4c" not in refused[1], (method, rule.rule)
            checked += 1
    assert checked > 30


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_party_no_longer_served_ends_its_peoples_sessions_at_the_next_request(dev_app):
    """The party's status is checked at every request (from governance, asked at most once in
    PartyStatuses.FRESH_S per party, never per request): a party excluded or withdrawn after
    its people signed in ends their sessions (the row is deleted, the next page is the
    sign-in), also on pages that ask no service."""
    from services.console.adapters.parties import PartyStatuses

    clock = Clock()
    dev_app.extensions["console.parties"] = PartyStatuses(clock)
    governance = dev_app.extensions["console.services"].governance
    client = signed_in(dev_app)
    sid = client.get_cookie("zorgtafel_console").value
    for _ in range(5):
        assert client.get("/nominations/new").status_code == 200
    assert governance.asked == 1  # not a call per request
    for status in ("excluded", "withdrawn", "applicant", "unknown"):
        client = signed_in(dev_app)
        sid = client.get_cookie("zorgtafel_console").value
        governance.status = status
        clock.now += PartyStatuses.FRESH_S  # governance is asked again
        r = client.get("/nominations/new")
        assert r.status_code == 302 and r.headers["Location"] == "/login", status
        assert dev_app.session_interface.store.get(sid) is None, status
        governance.status = "active"
    # Governance refuses the party itself (the authorisation policy serves active parties
    # only): as good as told it is no longer active.
    client = signed_in(dev_app)
    clock.now += PartyStatuses.FRESH_S
    governance.status = ServiceError("PERMISSION_DENIED", refusals(["Party has status excluded"]))
    assert client.get("/nominations/new").headers["Location"] == "/login"


def test_a_party_status_governance_cannot_tell_refuses_the_page_not_the_session(dev_app):
    """Fail closed: when governance does not answer and what the console knew is older than
    PartyStatuses.STALE_S, no page is served (503, try again); the session stays."""
    from services.console.adapters.parties import PartyStatuses

    clock = Clock()
    dev_app.extensions["console.parties"] = PartyStatuses(clock)
    governance = dev_app.extensions["console.services"].governance
    client = signed_in(dev_app)
    assert client.get("/nominations/new").status_code == 200
    governance.status = ServiceError("UNAVAILABLE")
    clock.now += PartyStatuses.FRESH_S  # asked again, no answer: what it knew still holds
    assert client.get("/nominations/new").status_code == 200
    clock.now += PartyStatuses.STALE_S
    r = client.get("/nominations/new")
    assert r.status_code == 503 and r.headers["Retry-After"]
    governance.status = "active"
    assert client.get("/nominations/new").status_code == 200  # the same session


def test_a_meeting_time_missing_or_malformed_is_named_on_the_form_and_nothing_is_scheduled(
    dev_app,
):
    """A time the browser did not send as one is the form's to fix: never a meeting scheduled
    for now, which could take attendance at once (art. 5.3, 7.2)."""
    scheduled = []
    dev_app.extensions["console.services"].bodies = SimpleNamespace(
        schedule=lambda *a: scheduled.append(a)
    )
    client = signed_in(dev_app)
    for when in ("", "not-a-time", "2026-13-40T25:99"):
        page = client.post(
            "/governance/meetings",
            data={
                "body": "regional_board",
                "when": when,
                "csrf_token": csrf(client, "/governance"),
            },
        )
        assert page.status_code == 400
        assert "<strong>when</strong>" in page.get_data(as_text=True)
    assert scheduled == []
