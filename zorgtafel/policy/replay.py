"""Replaying a recorded decision (issue #17): the access log keeps each decision's input
(pseudonymous, ``zorgtafel.kernel.accesslog.inputs``) and the revision that decided it; here the
input is evaluated again under that revision or any other.

Revisions come from where they are kept: the policy directory being edited, bundle files or
directories named on the command line, and governance's history of adopted revisions (the
bundles it stores). Each is loaded once into an embedded engine and checked to be the revision
asked for (a bundle's files hash to its revision; ``bundle.revision_of``).

Records are read from a service's own database, read-only, as ``zorgtafel verify-log`` does:
the tool is the operator's, it works while the service is down, and the inputs never travel
over the network.
"""

from __future__ import annotations

import io
import re
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from zorgtafel.policy import sources
from zorgtafel.policy.bundle import revision_of
from zorgtafel.policy.errors import PolicyError

ALLOWED_RESULTS = ("allowed", "break_glass")
_ARTICLE = re.compile(
    r"\b(?:art\.|article)\s*(\d+(?:\.\d+)?[a-z]?)|\b(Bijlage\s+\d+)|\b(GDPR art\.\s*\d+(?:\(\d+\))?)",
    re.IGNORECASE,
)
_CHECKS = re.compile(r"^checks\s*:?=\s*\{(.*?)^\}", re.MULTILINE | re.DOTALL)
_CHECK_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:', re.MULTILINE)
_WORD = re.compile(r"[a-z]{4,}")
_STOP = frozenset(
    "that this with when from only needed known party parties recorded case item "
    "requester recipient".split()
)


# -- the records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """An access-log record as replay needs it."""

    service: str
    seq: int
    decision_id: str
    recorded_at: datetime | None
    rpc: str
    action: str
    result: str
    reasons: tuple[str, ...]
    revision: str
    policy: str
    input: Mapping[str, Any]

    @property
    def allowed(self) -> bool:
        return self.result in ALLOWED_RESULTS


def recorded(service: str, record: Mapping[str, Any]) -> Recorded | None:
    """The replayable view of a stored record; None when it kept no decision input."""
    from zorgtafel.kernel.accesslog import inputs

    parsed = inputs.parse(str(record.get("decision_input") or ""))
    if parsed is None or not parsed[0]:
        return None
    policy, value = parsed
    return Recorded(
        service=service,
        seq=int(record["seq"]),
        decision_id=str(record.get("decision_id") or ""),
        recorded_at=record.get("recorded_at"),
        rpc=str(record.get("rpc") or ""),
        action=str(record.get("action") or ""),
        result=str(record.get("result") or ""),
        reasons=tuple(record.get("reasons") or ()),
        revision=str(record.get("policy_revision") or ""),
        policy=policy,
        input=value,
    )


class LogSource:
    """One service's access log, read from its database (SQLite file or PostgreSQL schema)."""

    def __init__(self, service: str, url: str, schema: str = "") -> None:
        from sqlalchemy import create_engine

        from zorgtafel.kernel.accesslog import store
        from zorgtafel.kernel.registry import definition

        self.service = service
        self.tables = store.LogTables.of(definition(service).tables)
        engine = create_engine(url)
        if engine.dialect.name != "sqlite":
            engine = engine.execution_options(schema_translate_map={None: schema or service})
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    def _rows(self, where: Any = None, since: datetime | None = None) -> list[dict[str, Any]]:
        from sqlalchemy import select

        from zorgtafel.kernel.accesslog import store

        t = self.tables
        q = select(*t.columns()).where(t.log.c.decision_input != "")
        if where is not None:
            q = q.where(where)
        if since is not None:
            q = q.where(t.log.c.recorded_at >= since)
        with self.engine.connect() as conn:
            return [store.record_of(r) for r in conn.execute(q.order_by(t.log.c.seq)).all()]

    def by_decision(self, decision_id: str) -> list[Recorded]:
        rows = self._rows(self.tables.log.c.decision_id == decision_id)
        return [r for r in (recorded(self.service, row) for row in rows) if r is not None]

    def since(self, since: datetime | None) -> Iterator[Recorded]:
        for row in self._rows(since=since):
            r = recorded(self.service, row)
            if r is not None:
                yield r


# -- the revisions ---------------------------------------------------------------------------


def extract_bundle(data: bytes, into: Path) -> Path:
    """An OPA bundle's rules and data as a policy directory (``zorgtafel/a/data.json`` goes back
    to ``a/data.json``), so the embedded engine and ``revision_of`` read it like the sources."""
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for m in tar.getmembers():
            name = m.name.lstrip("/").removeprefix("./")
            if not m.isfile() or name in (".manifest", ".signatures.json"):
                continue
            parts = Path(name).parts
            if ".." in parts or not name.endswith((".rego", "data.json")):
                continue
            if name.endswith("data.json") and parts and parts[0] == sources.DATA_ROOT:
                parts = parts[1:]
            target = into.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle = tar.extractfile(m)
            if handle is not None:
                target.write_bytes(handle.read())
    return into


class Revisions:
    """Policy revisions by their content hash, each an embedded engine loaded once."""

    def __init__(
        self,
        dirs: Iterable[Path] = (),
        bundles: Iterable[Path] = (),
        governance_url: str = "",
        governance_schema: str = "",
        timeout_s: float = 60.0,
    ) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="zorgtafel-replay-")
        self._dirs: dict[str, Path] = {}
        self._engines: dict[str, Any] = {}
        self._timeout = timeout_s
        self._governance_url = governance_url
        self._governance_schema = governance_schema
        for d in dirs:
            self.add_dir(Path(d))
        for b in bundles:
            self.add(Path(b))

    def add_dir(self, policy_dir: Path) -> str:
        revision = revision_of(policy_dir)
        self._dirs.setdefault(revision, policy_dir)
        return revision

    def add_bundle(self, data: bytes) -> str:
        target = Path(self._tmp.name) / f"b{len(self._dirs)}"
        return self.add_dir(extract_bundle(data, target))

    def add(self, path: Path) -> str:
        """A policy directory or a bundle file; returns its revision."""
        return self.add_dir(path) if path.is_dir() else self.add_bundle(path.read_bytes())

    def _from_governance(self, revision: str) -> bool:
        if not self._governance_url:
            return False
        from sqlalchemy import Column, LargeBinary, MetaData, String, Table, create_engine, select

        # Only the two columns read here: governance's history table as its migrations made it.
        history = Table(
            "policy_revisions",
            MetaData(),
            Column("revision", String),
            Column("bundle", LargeBinary),
        )
        engine = create_engine(self._governance_url)
        if engine.dialect.name != "sqlite":
            engine = engine.execution_options(
                schema_translate_map={None: self._governance_schema or "governance"}
            )
        try:
            with engine.connect() as conn:
                row = conn.execute(
                    select(history.c.bundle).where(history.c.revision == revision).limit(1)
                ).first()
        finally:
            engine.dispose()
        if row is None:
            return False
        return self.add_bundle(bytes(row[0])) == revision

    def known(self) -> list[str]:
        return list(self._dirs)

    def engine(self, revision: str) -> Any:
        """The engine of ``revision``; PolicyError when it is nowhere to be found."""
        from zorgtafel.policy.embedded import EmbeddedEngine

        if revision not in self._engines:
            if revision not in self._dirs and not self._from_governance(revision):
                raise PolicyError(
                    f"revision {revision} is not available: give its bundle (--bundle) or "
                    "governance's database (--governance-db)"
                )
            self._engines[revision] = EmbeddedEngine(
                self._dirs[revision], timeout_s=self._timeout, workers=1
            )
        return self._engines[revision]

    def policy_dir(self, revision: str) -> Path:
        self.engine(revision)
        return self._dirs[revision]

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()
        self._tmp.cleanup()


# -- replaying -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    name: str
    held: bool
    caused: bool = False  # a fact that did not hold and that a deny reason names


@dataclass(frozen=True)
class Replayed:
    record: Recorded
    revision: str
    allow: bool
    reasons: tuple[str, ...]
    facts: tuple[Fact, ...] = field(default_factory=tuple)

    @property
    def changed(self) -> bool:
        return self.allow != self.record.allowed


def articles(text: str) -> list[str]:
    """The article references a reason cites ("art. 16.2", "Bijlage 3")."""
    found = []
    for m in _ARTICLE.finditer(text):
        ref = m.group(1)
        found.append(f"art. {ref}" if ref else (m.group(2) or m.group(3)).strip())
    return list(dict.fromkeys(found))


def check_order(policy_dir: Path, policy: str) -> list[str]:
    """The names of the policy's ``checks`` in the order its source lists them (the order the
    policy owner wrote them in: how the decision is reasoned), not alphabetically."""
    names: list[str] = []
    for module in sources.modules(policy_dir):
        if module.package != policy:
            continue
        m = _CHECKS.search(module.text)
        if m:
            names += [k.replace('\\"', '"') for k in _CHECK_KEY.findall(m.group(1))]
    return names


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower())} - _STOP


def facts_of(
    checks: Mapping[str, Any], order: Sequence[str], denials: Sequence[str]
) -> tuple[Fact, ...]:
    """The checked facts in the policy's order; a fact that did not hold is marked as a cause
    when a deny reason cites its article and speaks of the same thing."""
    names = [n for n in order if n in checks] + sorted(n for n in checks if n not in order)
    out = []
    for name in names:
        held = checks[name] is True
        caused = False
        if not held:
            arts, words = set(articles(name)), _words(re.sub(r"\(.*?\)", "", name))
            caused = any(
                (not arts or arts & set(articles(r))) and words & _words(r) for r in denials
            )
        out.append(Fact(name, held, caused))
    return tuple(out)


def replay(revisions: Revisions, record: Recorded, revision: str = "") -> Replayed:
    """``record``'s input decided again under ``revision`` (default: the one that decided it)."""
    revision = revision or record.revision
    engine = revisions.engine(revision)
    decision = engine.decide(record.policy, record.input)
    checks = _checks(engine, record.policy, record.input)
    denials = () if decision.allow else decision.reasons
    order = check_order(revisions.policy_dir(revision), record.policy) if checks else []
    return Replayed(
        record,
        decision.revision,
        decision.allow is True,
        tuple(decision.reasons),
        facts_of(checks, order, denials),
    )


def _checks(engine: Any, policy: str, value: Mapping[str, Any]) -> Mapping[str, Any]:
    # `checks` is an optional rule: the named facts a policy wants shown beside its decision.
    try:
        defined, result, _ = engine._query(policy, "checks", value)
    except PolicyError:
        return {}
    return result if defined and isinstance(result, Mapping) else {}
