"""The register of processing activities (Bijlage 3 / GDPR art. 30): seeded from data
(``seed/processing_register.json``, the nine fields and the maintaining parties of each entry)
and maintained by the privacy officers over gRPC, every change kept with who made it, when and
why (issue #14). The access log names the versioned activity of each decision (Logboek
Dataverwerkingen): ``ProcessingRegister`` keeps the current versions in memory for that, read
again from the table after every change and on a timer (several replicas)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import CursorResult, Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import processing_activities, processing_activity_changes
from services.disclosure.domain.register import NINE_FIELDS
from zorgtafel.kernel.errors import FailedPrecondition
from zorgtafel.kernel.uow import UnitOfWork, utcnow

SEED = Path(__file__).resolve().parent.parent / "seed" / "processing_register.json"

__all__ = ["NINE_FIELDS", "SEED", "ProcessingActivityRepository", "ProcessingRegister"]


class ProcessingRegister:
    """The seed document and the activities' current versions (for the access log)."""

    def __init__(self, path: Path = SEED) -> None:
        self.document = json.loads(path.read_text(encoding="utf-8"))
        self.activities: list[dict[str, Any]] = self.document["activities"]
        for a in self.activities:
            missing = [f for f in NINE_FIELDS if not a.get(f)]
            if missing:
                raise ValueError(f"processing activity {a.get('id')} lacks {missing}")
            if not a.get("maintainers"):
                raise ValueError(f"processing activity {a.get('id')} names no maintainers")
        self._default = self.document["disclosure_activity"]
        self._lock = threading.Lock()
        self._versions = {a["id"]: str(a["version"]) for a in self.activities}

    def activity_ref_for(self, purpose: str) -> str:
        """The versioned reference of the processing activity a disclosure belongs to."""
        with self._lock:
            return f"{self._default}@{self._versions.get(self._default, '1')}"

    def note_version(self, activity_id: str, version: str) -> None:
        """This replica changed an activity (others read it on their next refresh)."""
        with self._lock:
            self._versions = {**self._versions, activity_id: version}

    def refresh(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        """The versions as the register table holds them now."""
        with uow_factory() as uow:
            versions = ProcessingActivityRepository(uow.session).versions()
        if versions:
            with self._lock:
                self._versions = versions

    def seed(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        """At start: an empty register table gets the shipped entries (once, whichever replica
        comes first: a concurrent seeding fails on the primary key and is retried as seeded)."""
        try:
            with uow_factory() as uow:
                repo = ProcessingActivityRepository(uow.session)
                if repo.count() == 0:
                    for a in self.activities:
                        doc = {f: a[f] for f in NINE_FIELDS}
                        repo.add(a["id"], doc, list(a["maintainers"]))
                        repo.record_change(
                            a["id"], 1, "seeded", list(NINE_FIELDS), "", "seed", "shipped seed"
                        )
                    uow.commit()
        except IntegrityError:
            pass  # another replica seeded it first
        self.refresh(uow_factory)

    def header(self) -> dict[str, Any]:
        return {
            "register": self.document["register"],
            "version": self.document["version"],
            "disclosure_activity": self._default,
        }


def _activity(row: Row[Any]) -> dict[str, Any]:
    doc = json.loads(row.document)
    return {
        "id": row.activity_id,
        "version": str(row.version),
        **doc,
        "maintainers": json.loads(row.maintainers),
        "retired_at": row.retired_at,
    }


class ProcessingActivityRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def count(self) -> int:
        return int(
            self._s.execute(select(func.count()).select_from(processing_activities)).scalar_one()
        )

    def versions(self) -> dict[str, str]:
        t = processing_activities
        return {
            r.activity_id: str(r.version)
            for r in self._s.execute(select(t.c.activity_id, t.c.version))
        }

    def all(
        self, include_retired: bool = False, *, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The entries by id (current ones unless ``include_retired``); with ``limit``, one
        page of them from ``offset``, cut in SQL, so only the page's documents are read."""
        t = processing_activities
        q = select(t).order_by(t.c.activity_id)
        if not include_retired:
            q = q.where(t.c.retired_at.is_(None))
        if limit is not None:
            q = q.offset(offset).limit(limit)
        return [_activity(r) for r in self._s.execute(q)]

    def find(self, activity_id: str, *, for_update: bool = False) -> dict[str, Any] | None:
        t = processing_activities
        q = select(t).where(t.c.activity_id == activity_id)
        if for_update:
            q = q.with_for_update()
        row = self._s.execute(q).first()
        return _activity(row) if row else None

    def add(
        self,
        activity_id: str,
        doc: dict[str, Any],
        maintainers: list[str],
    ) -> None:
        self._s.execute(
            insert(processing_activities).values(
                activity_id=activity_id,
                version=1,
                document=json.dumps(doc, ensure_ascii=False, sort_keys=True),
                maintainers=json.dumps(sorted(maintainers)),
                updated_at=utcnow(),
                retired_at=None,
            )
        )

    def change(
        self, activity_id: str, version: int, doc: dict[str, Any], maintainers: list[str]
    ) -> None:
        """Write version ``version`` over ``version - 1`` (optimistic: another change first is
        FAILED_PRECONDITION)."""
        t = processing_activities
        done: CursorResult[Any] = self._s.execute(  # type: ignore[assignment]
            update(t)
            .where(t.c.activity_id == activity_id, t.c.version == version - 1)
            .values(
                version=version,
                document=json.dumps(doc, ensure_ascii=False, sort_keys=True),
                maintainers=json.dumps(sorted(maintainers)),
                updated_at=utcnow(),
            )
        )
        if done.rowcount != 1:
            raise FailedPrecondition(
                "changed", "the activity was changed meanwhile: read it again", subject="version"
            )

    def retire(self, activity_id: str, version: int, at: datetime) -> None:
        t = processing_activities
        done: CursorResult[Any] = self._s.execute(  # type: ignore[assignment]
            update(t)
            .where(
                t.c.activity_id == activity_id,
                t.c.version == version - 1,
                t.c.retired_at.is_(None),
            )
            .values(version=version, retired_at=at, updated_at=at)
        )
        if done.rowcount != 1:
            raise FailedPrecondition(
                "changed", "the activity was changed or retired meanwhile", subject="activity_id"
            )

    def record_change(
        self,
        activity_id: str,
        version: int,
        change: str,
        fields: list[str],
        party: str,
        person: str,
        reason: str,
        at: datetime | None = None,
    ) -> None:
        current = self.find(activity_id)
        document = {k: v for k, v in (current or {}).items() if k != "retired_at"}
        self._s.execute(
            insert(processing_activity_changes).values(
                change_id=f"pac-{uuid.uuid4().hex}",
                activity_id=activity_id,
                version=version,
                change=change,
                changed_fields=json.dumps(fields),
                party=party,
                person=person,
                changed_at=at or utcnow(),
                reason=reason,
                document=json.dumps(document, ensure_ascii=False, sort_keys=True),
            )
        )

    def history(
        self, activity_id: str = "", *, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The changes (of one entry), newest first; with ``limit``, one page of them from
        ``offset``, cut in SQL, so only the page's documents are read."""
        t = processing_activity_changes
        q = select(t).order_by(t.c.changed_at.desc(), t.c.version.desc(), t.c.change_id)
        if activity_id:
            q = q.where(t.c.activity_id == activity_id)
        if limit is not None:
            q = q.offset(offset).limit(limit)
        return [
            {
                "change_id": r.change_id,
                "activity_id": r.activity_id,
                "version": str(r.version),
                "change": r.change,
                "changed_fields": json.loads(r.changed_fields),
                "party": r.party,
                "person": r.person,
                "changed_at": r.changed_at,
                "reason": r.reason,
                "activity": json.loads(r.document),
            }
            for r in self._s.execute(q)
        ]
