"""Server-side sessions: the browser holds only an opaque random id in an HttpOnly cookie; the
person's token and everything else stay on the server. Idle and absolute timeouts end a
session; signing in issues a new id (no session fixation); signing out deletes it.

``SqlStore`` keeps them in a database the console owns (a SQLite file in ``zorgtafel up``,
PostgreSQL for several replicas), so any replica serves any request:

- the row is found by the SHA-256 of the id, never the id itself: whoever reads the table (a
  backup, a database administrator) holds no cookie that signs anyone in;
- what the session holds (the person's token, a refresh token, the CSRF secret, the language,
  recent case ids) is sealed as one blob with a key derived from the console's secret
  (``MultiFernet``), bound to its row;
- the times are plain columns, so expiry is enforced by the database row and the server's
  clock, whatever the blob says; expired rows are deleted when met and purged now and then.

``MemoryStore`` is the same contract in one process's memory (one replica only).

Only a signed-in person's session is kept on the server. Before sign-in (the sign-in page's
CSRF secret, the chosen language, the IdP round trip's state, nonce and PKCE verifier) the
session travels in the same cookie, sealed with a key of its own and valid for
``ANONYMOUS_S``: unauthenticated traffic, however much of it, writes no row."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import (
    Column,
    Float,
    LargeBinary,
    MetaData,
    String,
    Table,
    case,
    create_engine,
    delete,
    event,
    select,
    update,
)
from sqlalchemy.engine import Engine
from werkzeug.datastructures import CallbackDict

COOKIE = "zorgtafel_console"
# In production (HTTPS): the browser takes a ``__Host-`` cookie only from this host itself,
# Secure, for the path / and with no Domain, so another host of the same site cannot plant a
# session of its choosing (for the domain, or for a narrower path sent first).
SECURE_COOKIE = "__Host-" + COOKIE

metadata = MetaData()
console_sessions = Table(
    "console_sessions",
    metadata,
    # SHA-256 (hex) of the cookie's id: the id itself is never stored.
    Column("id_hash", String(64), primary_key=True),
    Column("created_at", Float, nullable=False),  # seconds since the epoch (server clock)
    Column("seen_at", Float, nullable=False),
    # min(created + absolute, seen + idle): what the purge deletes by.
    Column("expires_at", Float, nullable=False, index=True),
    Column("data", LargeBinary, nullable=False),  # sealed (Fernet) JSON of the session
)


class Store(Protocol):
    # ``touch=False``: a request the page's script made (live updates), not the person: it
    # neither counts as activity nor postpones the idle timeout.
    def get(self, sid: str, *, touch: bool = True) -> dict[str, Any] | None: ...
    def put(self, sid: str, data: dict[str, Any], *, new: bool, touch: bool = True) -> None: ...
    def delete(self, sid: str) -> None: ...


def session_keys(secret_key: str, *older: str, label: bytes = b"session-sealing-v1") -> MultiFernet:
    """The sealing keys, derived from the console's secret (HKDF, a label of their own, so the
    CSRF signatures and the sessions never share a key). Older secrets still open sessions
    sealed before a rotation; the first one seals."""

    def derive(secret: str) -> Fernet:
        key = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=b"zorgtafel-console",
            info=label,
        ).derive(secret.encode())
        return Fernet(base64.urlsafe_b64encode(key))

    return MultiFernet([derive(s) for s in (secret_key, *older)])


def anonymous_keys(secret_key: str, *older: str) -> MultiFernet:
    """The keys of the anonymous cookie: a label of their own, so a row's sealed blob is no
    cookie and a cookie opens no row."""
    return session_keys(secret_key, *older, label=b"anonymous-session-v1")


# What makes a session one to keep on the server: the person's token (set at sign-in).
SIGNED_IN = "token"
# How long an anonymous cookie is good for: reading the sign-in page and the IdP's round trip.
ANONYMOUS_S = 600
# The cookie's value of an anonymous session starts with this; a server session's id (43
# url-safe characters) never does.
ANONYMOUS_PREFIX = "a."
# A browser keeps cookies of 4096 bytes at most: a larger anonymous session is not kept.
ANONYMOUS_MAX = 3800


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8", "surrogatepass")).hexdigest()


class SqlStore:
    # The last-seen time is written at most this often (and at every change): an idle timeout
    # ends at most this much early, and a page view is not a write.
    TOUCH_S = 60.0
    PURGE_EVERY_S = 300.0

    def __init__(
        self,
        engine: Engine,
        keys: MultiFernet,
        idle_s: int,
        max_s: int,
        clock: Any = time.time,
    ) -> None:
        self.engine = engine
        self.keys = keys
        self.idle_s, self.max_s = idle_s, max_s
        self.clock = clock
        self._touch_s = min(self.TOUCH_S, idle_s / 10)
        self._next_purge = 0.0
        self._lock = threading.Lock()

    def _expires(self, created: float, seen: float) -> float:
        return min(created + self.max_s, seen + self.idle_s)

    def _seal(self, id_hash: str, data: dict[str, Any]) -> bytes:
        return self.keys.encrypt(json.dumps({"id": id_hash, "data": data}).encode())

    def _open(self, id_hash: str, sealed: bytes) -> dict[str, Any] | None:
        try:
            body = json.loads(self.keys.decrypt(sealed))
        except (InvalidToken, ValueError):
            return None  # another key (a rotated-out secret) or tampered: signed out
        if not isinstance(body, dict) or body.get("id") != id_hash:
            return None  # a blob copied onto another row opens nothing
        data = body.get("data")
        return data if isinstance(data, dict) else None

    def get(self, sid: str, *, touch: bool = True) -> dict[str, Any] | None:
        id_hash = _hash(sid)
        now = self.clock()
        t = console_sessions
        with self.engine.begin() as conn:
            row = conn.execute(
                select(t.c.created_at, t.c.seen_at, t.c.data).where(t.c.id_hash == id_hash)
            ).first()
            if row is None:
                return None
            created, seen, sealed = row
            if now >= self._expires(created, seen):
                conn.execute(delete(t).where(t.c.id_hash == id_hash))
                return None
            data = self._open(id_hash, sealed)
            if data is None:
                # Not deleted: while a new secret key rolls out, a replica that does not know
                # it yet must not end the sessions the others sealed with it. Expiry purges it.
                return None
            if touch and now - seen >= self._touch_s:
                conn.execute(
                    update(t)
                    .where(t.c.id_hash == id_hash)
                    .values(seen_at=now, expires_at=self._expires(created, now))
                )
        return data

    def put(self, sid: str, data: dict[str, Any], *, new: bool, touch: bool = True) -> None:
        id_hash = _hash(sid)
        now = self.clock()
        t = console_sessions
        sealed = self._seal(id_hash, data)
        with self.engine.begin() as conn:
            if not new:
                # A session ended meanwhile (expired, signed out elsewhere) is not revived:
                # no row, nothing updated.
                alive = update(t).where(t.c.id_hash == id_hash, t.c.expires_at > now)
                if touch:
                    alive = alive.values(
                        seen_at=now,
                        expires_at=_least(t.c.created_at + self.max_s, now + self.idle_s),
                    )
                conn.execute(alive.values(data=sealed))
                return
            conn.execute(
                t.insert().values(
                    id_hash=id_hash,
                    created_at=now,
                    seen_at=now,
                    expires_at=self._expires(now, now),
                    data=sealed,
                )
            )
        self._maybe_purge(now)

    def delete(self, sid: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(console_sessions).where(console_sessions.c.id_hash == _hash(sid)))

    def purge(self, now: float | None = None) -> int:
        """Delete every expired session; the number deleted."""
        now = self.clock() if now is None else now
        with self.engine.begin() as conn:
            done = conn.execute(
                delete(console_sessions).where(console_sessions.c.expires_at <= now)
            )
        return int(done.rowcount or 0)

    def _maybe_purge(self, now: float) -> None:
        with self._lock:
            if now < self._next_purge:
                return
            self._next_purge = now + self.PURGE_EVERY_S
        self.purge(now)


def _least(a: Any, b: float) -> Any:
    return case((a < b, a), else_=b)


class MemoryStore:
    """One process's memory: one console replica only (tests, a single-process console)."""

    def __init__(self, idle_s: int, max_s: int) -> None:
        self.idle_s, self.max_s = idle_s, max_s
        self._data: dict[str, tuple[float, float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def get(self, sid: str, *, touch: bool = True) -> dict[str, Any] | None:
        now = time.monotonic()
        with self._lock:
            entry = self._data.get(sid)
            if entry is None:
                return None
            created, seen, data = entry
            if now - seen > self.idle_s or now - created > self.max_s:
                del self._data[sid]
                return None
            if touch:
                self._data[sid] = (created, now, data)
            return dict(data)

    def put(self, sid: str, data: dict[str, Any], *, new: bool, touch: bool = True) -> None:
        now = time.monotonic()
        with self._lock:
            created, seen, _ = (now, now, {}) if new else self._data.get(sid, (now, now, {}))
            self._data[sid] = (created, now if touch else seen, dict(data))
            if len(self._data) > 10_000:  # expired sessions are dropped lazily; bound memory
                self._sweep(now)

    def delete(self, sid: str) -> None:
        with self._lock:
            self._data.pop(sid, None)

    def _sweep(self, now: float) -> None:
        for sid, (created, seen, _) in list(self._data.items()):
            if now - seen > self.idle_s or now - created > self.max_s:
                del self._data[sid]


class ServerSession(CallbackDict[str, Any], SessionMixin):
    def __init__(self, initial: dict[str, Any] | None = None, sid: str = "") -> None:
        def on_update(_self: Any) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.modified = False
        self.rotate = False
        self.background = False
        self.anonymous = False  # opened from an anonymous (sealed) cookie

    def regenerate(self) -> None:
        """A new id at sign-in: an id planted before it is worthless after."""
        self.rotate = True
        self.modified = True


# What the case page's script asks by itself (live updates: the event stream and the re-read
# of the page's parts). An open tab must not keep a person signed in who walked away, so these
# requests neither count as activity nor postpone the idle timeout.
BACKGROUND_HEADER = "X-Console-Live"


def is_background(request: Request) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1" or (
        request.path.startswith("/cases/") and request.path.endswith("/events")
    )


class ServerSessionInterface(SessionInterface):
    """``anonymous``: the keys that seal a session before sign-in into the cookie (without
    them such a session is not kept at all)."""

    def __init__(
        self,
        store: Store,
        *,
        secure: bool,
        anonymous: MultiFernet | None = None,
        clock: Any = time.time,
    ) -> None:
        self.store = store
        self.secure = secure
        self.cookie = SECURE_COOKIE if secure else COOKIE
        self.anonymous = anonymous
        self.clock = clock

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.cookie, "")
        if sid.startswith(ANONYMOUS_PREFIX):
            session = ServerSession(self._open_anonymous(sid), sid="")
            session.anonymous = True
            return session
        touch = not is_background(request)
        # An id is 43 url-safe characters; anything else is no session (and no query).
        data = self.store.get(sid, touch=touch) if 16 <= len(sid) <= 128 else None
        if data is None:
            return ServerSession(sid="")
        session = ServerSession(data, sid=sid)
        session.background = not touch
        return session

    def _open_anonymous(self, value: str) -> dict[str, Any]:
        if self.anonymous is None or len(value) > ANONYMOUS_MAX:
            return {}
        try:
            body = json.loads(
                self.anonymous.decrypt_at_time(
                    value.removeprefix(ANONYMOUS_PREFIX).encode(), ANONYMOUS_S, int(self.clock())
                )
            )
        except (InvalidToken, ValueError):
            return {}  # expired, tampered or another key's: a fresh anonymous session
        if not isinstance(body, dict):
            return {}
        body.pop(SIGNED_IN, None)  # never sealed here; should one be, it signs no one in
        return body

    def _save_anonymous(self, session: ServerSession, response: Response) -> None:
        """A session without a signed-in person: its row (if it had one: signed out, ended) is
        deleted and what is left (the language, a CSRF secret) goes into the sealed cookie."""
        if session.sid:
            self.store.delete(session.sid)
        if not session or self.anonymous is None:
            if session.sid or session.anonymous:
                response.delete_cookie(self.cookie, path="/", secure=self.secure)
            return
        if not session.modified and not session.sid:
            return  # unchanged: the cookie keeps its own expiry
        body = json.dumps(dict(session)).encode()
        sealed = ANONYMOUS_PREFIX + self.anonymous.encrypt_at_time(body, int(self.clock())).decode()
        if len(sealed) > ANONYMOUS_MAX:
            # A browser would drop it: no session rather than a partial one (the form then
            # asks to reload, the IdP's round trip to start again).
            response.delete_cookie(self.cookie, path="/", secure=self.secure)
            return
        response.set_cookie(
            self.cookie,
            sealed,
            max_age=ANONYMOUS_S,
            httponly=True,
            secure=self.secure,
            samesite="Lax",
            path="/",
        )
        response.vary.add("Cookie")

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if SIGNED_IN not in session:
            self._save_anonymous(session, response)
            return
        if not session.modified and session.sid:
            return
        new = not session.sid or session.rotate
        if session.rotate and session.sid:
            self.store.delete(session.sid)
        sid = secrets.token_urlsafe(32) if new else session.sid
        self.store.put(sid, dict(session), new=new, touch=new or not session.background)
        response.set_cookie(
            self.cookie,
            sid,
            httponly=True,
            secure=self.secure,
            samesite="Lax",  # Lax: the IdP's redirect back to the callback is a top-level GET
            path="/",
        )
        response.vary.add("Cookie")


def make_engine(url: str, schema: str | None) -> Engine:
    """The sessions' database: a SQLite file (WAL, so replicas' processes on one host and the
    request threads do not block each other's reads) or PostgreSQL, in the console's own
    schema there."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": 5, "application_name": "zorgtafel:console"},
    )
    return engine.execution_options(schema_translate_map={None: schema})
