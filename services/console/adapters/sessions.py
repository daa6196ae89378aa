"""Server-side sessions: the browser holds only an opaque random id in an HttpOnly cookie; the
person's token and everything else stay in this process. Idle and absolute timeouts end a
session; signing in issues a new id (no session fixation).

The store is in memory: one console replica, or sticky sessions in front of several (a shared
store is a later step)."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

COOKIE = "zorgtafel_console"


class ServerSession(CallbackDict[str, Any], SessionMixin):
    def __init__(self, initial: dict[str, Any] | None = None, sid: str = "") -> None:
        def on_update(_self: Any) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.modified = False
        self.rotate = False

    def regenerate(self) -> None:
        """A new id at sign-in: an id planted before it is worthless after."""
        self.rotate = True
        self.modified = True


class MemoryStore:
    def __init__(self, idle_s: int, max_s: int) -> None:
        self.idle_s, self.max_s = idle_s, max_s
        self._data: dict[str, tuple[float, float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def get(self, sid: str) -> dict[str, Any] | None:
        now = time.monotonic()
        with self._lock:
            entry = self._data.get(sid)
            if entry is None:
                return None
            created, seen, data = entry
            if now - seen > self.idle_s or now - created > self.max_s:
                del self._data[sid]
                return None
            self._data[sid] = (created, now, data)
            return dict(data)

    def put(self, sid: str, data: dict[str, Any], *, new: bool) -> None:
        now = time.monotonic()
        with self._lock:
            created = now if new else self._data.get(sid, (now, now, {}))[0]
            self._data[sid] = (created, now, dict(data))
            if len(self._data) > 10_000:  # expired sessions are dropped lazily; bound memory
                self._sweep(now)

    def delete(self, sid: str) -> None:
        with self._lock:
            self._data.pop(sid, None)

    def _sweep(self, now: float) -> None:
        for sid, (created, seen, _) in list(self._data.items()):
            if now - seen > self.idle_s or now - created > self.max_s:
                del self._data[sid]


class ServerSessionInterface(SessionInterface):
    def __init__(self, store: MemoryStore, *, secure: bool) -> None:
        self.store = store
        self.secure = secure

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(COOKIE, "")
        data = self.store.get(sid) if sid else None
        if data is None:
            return ServerSession(sid="")
        return ServerSession(data, sid=sid)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if not session:
            if session.sid:
                self.store.delete(session.sid)
                response.delete_cookie(COOKIE, path="/")
            return
        if not session.modified and session.sid:
            return
        new = not session.sid or session.rotate
        if session.rotate and session.sid:
            self.store.delete(session.sid)
        sid = secrets.token_urlsafe(32) if new else session.sid
        self.store.put(sid, dict(session), new=new)
        response.set_cookie(
            COOKIE,
            sid,
            httponly=True,
            secure=self.secure,
            samesite="Lax",  # Lax: the IdP's redirect back to the callback is a top-level GET
            path="/",
        )
        response.vary.add("Cookie")
