"""Races staged, not hoped for: one side runs in a thread of its own, and the test goes on once
PostgreSQL's own account (pg_stat_activity) shows it waiting on a lock, never after a sleep."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import text

from zorgtafel.testing.services import wait_for

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.service import Platform

T = TypeVar("T")


def waiting_on_a_lock(platform: Platform) -> bool:
    """Whether a connection of this platform (its schema is in the connection's
    application_name, kernel/db.py) waits for a lock: the staged side has reached it."""
    app = f"zorgtafel:{platform.settings.effective_schema}"[:63]
    with platform.uow_factory() as uow:
        return bool(
            uow.session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE application_name = :app AND wait_event_type = 'Lock'"
                ),
                {"app": app},
            ).scalar_one()
        )


def in_thread(fn: Callable[[], T]) -> tuple[threading.Thread, list[T]]:
    """``fn()`` started in a thread of its own: (the thread, a list that holds what ``fn``
    returned once it has: empty while it runs, or when it raised)."""
    outcome: list[T] = []
    thread = threading.Thread(target=lambda: outcome.append(fn()), daemon=True)
    thread.start()
    return thread, outcome


def waiting_in_thread(
    platform: Platform, fn: Callable[[], T], timeout: float = 30
) -> tuple[threading.Thread, list[T]]:
    """``fn()`` started in a thread of its own (``in_thread``), returned once PostgreSQL shows
    a connection of the platform waiting on a lock, or once ``fn`` has finished (an
    ``outcome`` not empty then says it did not wait): (the thread, its outcome)."""
    thread, outcome = in_thread(fn)
    wait_for(lambda: bool(outcome) or waiting_on_a_lock(platform), timeout=timeout)
    return thread, outcome
