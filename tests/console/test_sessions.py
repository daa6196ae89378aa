"""The console's sessions in a database it owns (adapters/sessions.py), shared by replicas: the
row is found by the id's hash and holds the session sealed, expiry is the server's (idle and
absolute), sign-in issues a new id, sign-out deletes the row, expired rows are purged. On SQLite
here, and on PostgreSQL (its own schema, by the console's migration) when one answers."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from services.console import migrations
from services.console.adapters.sessions import (
    COOKIE,
    SqlStore,
    _hash,
    console_sessions,
    make_engine,
    session_keys,
)
from services.console.app import create_app
from services.console.settings import ConsoleSettings
from tests.console.test_app import csrf, fake_services
from zorgtafel.kernel.devkeys import ensure_dev_keys
from zorgtafel.testing.services import drop_schema


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """(url, schema) of a migrated, empty sessions database."""
    if request.param == "sqlite":
        url, schema = f"sqlite:///{tmp_path / 'console.db'}", None
    else:
        url = request.getfixturevalue("pg_url")  # tests/conftest.py: skips, or fails in make test
        schema = f"console_{uuid.uuid4().hex[:8]}"
    engine = make_engine(url, schema)
    migrations.upgrade(engine, schema)
    yield url, schema
    engine.dispose()
    if schema:
        drop_schema(url, schema)


def store_of(database, clock, secret="s" * 40, *older, idle_s=900, max_s=8 * 3600):
    url, schema = database
    return SqlStore(make_engine(url, schema), session_keys(secret, *older), idle_s, max_s, clock)


def rows(store):
    with store.engine.connect() as conn:
        return conn.execute(select(console_sessions)).all()


def test_the_row_holds_the_ids_hash_and_the_session_sealed(database):
    store = store_of(database, Clock())
    store.put("cookie-id-1234567890", {"token": "eyJ.person-token", "csrf_token": "c"}, new=True)
    (row,) = rows(store)
    assert row.id_hash == _hash("cookie-id-1234567890") != "cookie-id-1234567890"
    assert b"person-token" not in row.data and b"csrf" not in row.data
    assert store.get("cookie-id-1234567890") == {"token": "eyJ.person-token", "csrf_token": "c"}
    assert store.get("cookie-id-1234567891") is None


def test_a_sealed_session_opens_only_on_its_own_row_and_with_the_consoles_secret(database):
    clock = Clock()
    store = store_of(database, clock)
    store.put("victim-session-id-01", {"token": "victim"}, new=True)
    store.put("attacker-session-id1", {"token": "attacker"}, new=True)
    with store.engine.begin() as conn:  # a database writer copies the victim's blob
        victim = conn.execute(
            select(console_sessions.c.data).where(
                console_sessions.c.id_hash == _hash("victim-session-id-01")
            )
        ).scalar_one()
        conn.execute(
            console_sessions.update()
            .where(console_sessions.c.id_hash == _hash("attacker-session-id1"))
            .values(data=victim)
        )
    assert store.get("attacker-session-id1") is None
    # A rotated secret: the new one seals, the previous one still opens what it sealed.
    rotated = store_of(database, clock, "n" * 40, "s" * 40)
    assert rotated.get("victim-session-id-01") == {"token": "victim"}
    assert store_of(database, clock, "x" * 40).get("victim-session-id-01") is None
    # A replica without the new key (mid-rollout) does not end the session for the others.
    assert rotated.get("victim-session-id-01") == {"token": "victim"}


def test_the_case_pages_live_updates_do_not_keep_an_idle_person_signed_in(database):
    # An open case page streams events and re-reads its parts by itself: those requests must
    # not count as the person's activity, or a tab left open would never time out.
    from werkzeug.test import EnvironBuilder

    from services.console.adapters.sessions import ServerSessionInterface

    clock = Clock()
    store = store_of(database, clock, idle_s=600, max_s=8 * 3600)
    store.put("open-tab-session-001", {"token": "t"}, new=True)
    interface = ServerSessionInterface(store, secure=False)

    def ask(path, headers=None):
        env = EnvironBuilder(
            path=path, headers={"Cookie": f"{COOKIE}=open-tab-session-001", **(headers or {})}
        )
        return interface.open_session(None, env.get_request())  # type: ignore[arg-type]

    for _ in range(5):  # every 5 minutes for 25 minutes: the stream and the page's re-read
        clock.now += 300
        streamed = ask("/cases/c-1/events")
        reread = ask("/cases/c-1", {"X-Console-Live": "1"})
        if clock.now - 1_000_000.0 < 600:
            assert streamed.get("token") == "t" and reread.get("token") == "t"
            assert streamed.background and reread.background
    assert not ask("/cases/c-1")  # idle for 25 minutes: signed out however busy the tab
    # The person's own request does count.
    store.put("busy-person-session1", {"token": "t"}, new=True)
    for _ in range(5):
        clock.now += 300
        env = EnvironBuilder(path="/worklist", headers={"Cookie": f"{COOKIE}=busy-person-session1"})
        assert interface.open_session(None, env.get_request()).get("token") == "t"  # type: ignore[arg-type]


def test_sessions_end_after_the_idle_and_the_absolute_timeout(database):
    clock = Clock()
    store = store_of(database, clock, idle_s=600, max_s=3000)
    store.put("idle-session-id-0001", {"token": "t"}, new=True)
    clock.now += 599
    assert store.get("idle-session-id-0001") == {"token": "t"}
    clock.now += 601
    assert store.get("idle-session-id-0001") is None
    assert not rows(store)  # deleted when met
    store.put("busy-session-id-0001", {"token": "t"}, new=True)
    for n in range(5):
        clock.now += 500
        assert store.get("busy-session-id-0001") == {"token": "t", **({"n": n} if n else {})}
        store.put("busy-session-id-0001", {"token": "t", "n": n + 1}, new=False)
    clock.now += 500
    assert store.get("busy-session-id-0001") is None  # past the absolute limit however busy
    # An ended session is not revived by a late write under its id.
    store.put("busy-session-id-0001", {"token": "t"}, new=False)
    assert store.get("busy-session-id-0001") is None


def test_expired_sessions_are_purged(database):
    clock = Clock()
    store = store_of(database, clock, idle_s=600, max_s=3000)
    for i in range(3):
        store.put(f"old-session-id-000{i}", {"token": "t"}, new=True)
    clock.now += 601
    assert store.purge() == 3
    # And without being asked: a sign-in purges now and then (at most every PURGE_EVERY_S).
    store.put("stale-session-id-001", {"token": "t"}, new=True)
    clock.now += 601 + store.PURGE_EVERY_S
    store.put("new-session-id-0001", {"token": "t"}, new=True)
    assert [r.id_hash for r in rows(store)] == [_hash("new-session-id-0001")]


@pytest.fixture
def replicas(tmp_path, database):
    """Two consoles (replicas) on one sessions database, with the same secret."""
    url, schema = database
    ensure_dev_keys(tmp_path)
    env = {
        "ZORGTAFEL_ENV": "dev",
        "ZORGTAFEL_DATA_DIR": str(tmp_path),
        "ZORGTAFEL_CONSOLE_DATABASE_URL": url,
        "ZORGTAFEL_CONSOLE_DATABASE_SCHEMA": schema or "console",
    }
    secret = tmp_path / "secret"
    secret.write_text("k" * 40)
    env["ZORGTAFEL_CONSOLE_SECRET_KEY_FILE"] = str(secret)
    settings = ConsoleSettings.from_env(env)
    return [create_app(settings, fake_services()) for _ in range(2)]


def cookie(client) -> str | None:
    c = client.get_cookie(COOKIE)
    return c.value if c else None


def test_a_session_begun_at_one_replica_is_served_by_another_and_ends_at_sign_out(replicas):
    a, b = replicas
    client = a.test_client()
    planted = "planted-by-an-attacker-0123456789"
    client.set_cookie(COOKIE, planted)
    token = csrf(client)
    r = client.post("/login/dev", data={"person": "lh-bram", "csrf_token": token})
    assert r.status_code == 302
    sid = cookie(client)
    assert sid and sid != planted  # a new id at sign-in (no fixation)
    other = b.test_client()
    other.set_cookie(COOKIE, sid)
    page = other.get("/").get_data(as_text=True)
    assert "lh-bram" in page
    # Replica b signs out (its page's CSRF token, bound to the shared session): the row is gone,
    # so replica a no longer knows the id either.
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert other.post("/logout", data={"csrf_token": token}).status_code == 302
    store = a.session_interface.store
    assert store.get(sid) is None
    client.set_cookie(COOKIE, sid)
    assert client.get("/").headers["Location"].endswith("/login")


def test_a_flood_of_anonymous_sign_in_pages_writes_no_session_row(replicas):
    """Before sign-in there is nothing to keep on the server: the sign-in page's CSRF secret,
    the chosen language and the IdP round trip's state travel sealed in a short-lived cookie,
    so unauthenticated traffic (a flood of GET /login, a language chosen) writes no row. The
    row is made at sign-in, with a new id, at any replica."""
    a, b = replicas
    store = a.session_interface.store
    for _ in range(300):
        assert a.test_client().get("/login").status_code == 200
    client = a.test_client()
    page = client.get("/login")
    anonymous = cookie(client)
    assert anonymous and b"csrf" not in anonymous.encode()  # sealed, not readable
    r = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": csrf(client)})
    assert r.status_code == 302
    assert "Sign in" in client.get("/login").get_data(as_text=True)  # the language is kept
    assert rows(store) == []
    assert page.status_code == 200
    # The sealed cookie opens at the other replica: its CSRF token signs in there.
    other = b.test_client()
    other.set_cookie(COOKIE, cookie(client))
    r = other.post("/login/dev", data={"person": "lh-bram", "csrf_token": csrf(client)})
    assert r.status_code == 302 and len(rows(store)) == 1
    sid = cookie(other)
    assert sid and sid != cookie(client) and store.get(sid) is not None
    assert "Signed in as lh-bram" in other.get("/").get_data(as_text=True)
    # Signing out deletes the row; what is left (the language) is sealed in the cookie again.
    token = csrf(other, "/")
    assert other.post("/logout", data={"csrf_token": token}).status_code == 302
    assert rows(store) == []
    assert '<html lang="en">' in other.get("/login").get_data(as_text=True)


def test_an_anonymous_cookie_is_sealed_short_lived_and_never_a_signed_in_session(replicas):
    a, _ = replicas
    client = a.test_client()
    client.get("/login")
    sealed = cookie(client)
    c = client.get_cookie(COOKIE)
    assert c.http_only and c.same_site == "Lax" and c.expires is not None  # short-lived
    # Tampered: nothing opens; a fresh anonymous session is issued in its place.
    tampered = sealed[:-6] + ("A" * 6 if not sealed.endswith("A" * 6) else "B" * 6)
    client.set_cookie(COOKIE, tampered)
    token = csrf(client)
    assert cookie(client) not in (tampered, sealed)
    # A CSRF token of one anonymous session is worth nothing with another's cookie.
    other = a.test_client()
    other.get("/login")
    r = other.post("/login/dev", data={"person": "lh-bram", "csrf_token": token})
    assert r.status_code == 400
    # An anonymous cookie signs no one in, and the pages behind the sign-in stay closed.
    jar = a.test_client()
    jar.set_cookie(COOKIE, sealed)
    assert jar.get("/worklist").headers["Location"] == "/login"


def test_an_anonymous_cookie_is_good_for_ten_minutes(replicas):
    """The sign-in page's CSRF token and the IdP's round trip last ANONYMOUS_S: a cookie older
    than that opens nothing (the form asks to reload), at any replica."""
    from services.console.adapters.sessions import ANONYMOUS_S

    a, b = replicas
    clock = Clock()
    a.session_interface.clock = b.session_interface.clock = clock
    client = a.test_client()
    token = csrf(client)
    clock.now += ANONYMOUS_S - 1
    other = b.test_client()
    other.set_cookie(COOKIE, cookie(client))
    assert (
        other.post("/login/dev", data={"person": "lh-bram", "csrf_token": token}).status_code == 302
    )
    token = csrf(client)
    clock.now += ANONYMOUS_S + 1
    r = client.post("/login/dev", data={"person": "lh-bram", "csrf_token": token})
    assert r.status_code == 400 and "verlopen" in r.get_data(as_text=True)
