"""What a service holds about a data subject, as structured sections, and what one privacy
officer may be given of it. Pure: no I/O, no framework.

A service's exporter gathers a ``Holding``: the records, and the facts that decide who may see
them (the controller parties of that data, by the service's own facts: who nominated, directs,
takes part in the case, provided or received an item). The policy decides; ``given_to`` carries
out its obligation: another party's internal notes stay with that party, listed as withheld
with the ground named (art. 15.1, 17)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from zorgtafel.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class Record:
    kind: str
    record_id: str
    case_id: str
    recorded_at: datetime | None
    party: str  # whose record it is
    fields: Mapping[str, str] = field(default_factory=dict)
    # A party's own record (a triage contribution, an action's progress note, an item it
    # provided): given only to that party's privacy officer and the parties in ``shared_with``
    # (an item's recipients), withheld from others with the ground named (art. 15.1, 17).
    internal: bool = False
    shared_with: frozenset[str] = frozenset()
    ground: str = ""  # the withholding ground, when not the decision's (e.g. art. 16.2)
    # The party a withheld line names, when naming the record's own would tell what is
    # withheld (that a party was consulted about the subject): the one answering for it.
    named_party: str = ""
    # The id a withheld line lists this record under, when its own id (or its number) would
    # name what the officer's party may not see (another party's part in the case): every
    # record withheld under one id makes one line.
    withheld_as: str = ""
    # A line only, never given: it stands for the records of its kind an officer whose party
    # it is not shared with may not be given, whether any exist, so that whether a line is
    # listed tells nothing of another party's records.
    listed_only: bool = False


@dataclass(frozen=True)
class Section:
    name: str
    description: str
    records: tuple[Record, ...] = ()


@dataclass(frozen=True)
class Holding:
    """A service's data about one subject and the facts its policy decision needs."""

    case_ids: tuple[str, ...]
    controllers: frozenset[str]
    sections: tuple[Section, ...] = ()
    subject_pseudonym: str = ""  # for the access log's record of the look (never shown)
    holds_subject_data: bool = True
    note: str = ""
    # case id -> its controllers by the service's own facts: of a subject's several cases only
    # those the caller's party answers for are given (the policy's ``only_cases``).
    case_controllers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # What the exporter was asked by ("case_id" or "subject_pseudonym"), for a two-step
    # exporter's records step that reads otherwise by case than by subject.
    asked_by: str = ""

    def cases_input(self) -> list[dict[str, Any]]:
        """The policy input's ``resource.cases``: each case with its controllers."""
        return [
            {"id": case_id, "controllers": sorted(self.case_controllers.get(case_id, ()))}
            for case_id in self.case_ids
        ]


@dataclass(frozen=True)
class Withheld:
    section: str
    kind: str
    record_id: str
    case_id: str
    party: str
    ground: str


@dataclass(frozen=True)
class Export:
    """What one privacy officer is given of a service's holding."""

    service: str
    case_ids: tuple[str, ...]
    sections: tuple[Section, ...]
    withheld: tuple[Withheld, ...] = ()
    note: str = ""


# (unit of work, "case_id" or "subject_pseudonym", value) -> the holding, or None when the
# service holds no such case or subject.
Exporter = Callable[[UnitOfWork, str, str], Holding | None]


@dataclass(frozen=True)
class TwoStepExporter:
    """An exporter that reads what the decision needs before anything else: first only the
    subject's cases and their controllers (``controllers``: a holding without sections, read
    with the same statements whether anything is held or not), and the records (``records``:
    the sections of the cases named) only after the policy allowed them. A refused privacy
    officer so costs the service the same work, none of it unsealing a record, whether it holds
    data about the person (for other parties) or nothing: the refusal's time tells no one
    whether a person is in the care table (need to know, art. 8.4c)."""

    controllers: Callable[[UnitOfWork, str, str], Holding | None]
    records: Callable[[UnitOfWork, Holding, frozenset[str]], tuple[Section, ...]]

    def __call__(self, uow: UnitOfWork, by: str, value: str) -> Holding | None:
        """Both steps at once, every case's records (an ``Exporter``, for a caller that has
        decided already)."""
        holding = self.controllers(uow, by, value)
        if holding is None:
            return None
        return replace(holding, sections=self.records(uow, holding, frozenset(holding.case_ids)))


def named_cases(obligations: list[Mapping[str, Any]]) -> frozenset[str]:
    """The cases a decision's ``only_cases`` obligations name: all the caller is given."""
    named: set[str] = set()
    for o in obligations:
        if o.get("type") == "only_cases":
            named.update(o.get("case_ids") or ())
    return frozenset(named)


def given_to(service: str, holding: Holding, obligations: list[Mapping[str, Any]]) -> Export:
    """The holding as the decision lets it out: only the cases named by the decision's
    ``only_cases`` obligation are given (none without it); every other case is left out,
    records and id alike (another controller's case is not even listed
    as withheld: its existence is that controller's to tell); each ``withhold_internal_notes``
    obligation keeps the internal notes of every party but ``except_party`` back, naming its
    ground."""
    rules = [o for o in obligations if o.get("type") == "withhold_internal_notes"]
    # Fail closed: a decision without ``only_cases`` (a policy revision adopted before the
    # obligation existed) names no case this party answers for, so no case is given, rather
    # than every case of the subject, whoever its controllers are.
    named = named_cases(obligations)
    case_ids = tuple(c for c in holding.case_ids if c in named)
    others = set(holding.case_ids) - set(case_ids)
    withheld: list[Withheld] = []
    sections: list[Section] = []
    for section in holding.sections:
        kept: list[Record] = []
        for record in section.records:
            if record.case_id in others:
                continue
            rule = next(
                (
                    r
                    for r in rules
                    if record.internal
                    and record.party != r.get("except_party")
                    and r.get("except_party") not in record.shared_with
                ),
                None,
            )
            if rule is None:
                if not record.listed_only:
                    kept.append(record)
                continue
            withheld.append(
                Withheld(
                    section.name,
                    record.kind,
                    record.withheld_as or record.record_id,
                    record.case_id,
                    record.named_party or record.party,
                    record.ground or str(rule.get("ground") or "confidentiality (art. 15.1, 17)"),
                )
            )
        sections.append(Section(section.name, section.description, tuple(kept)))
    # Records withheld under one id are one line.
    return Export(service, case_ids, tuple(sections), tuple(dict.fromkeys(withheld)), holding.note)
