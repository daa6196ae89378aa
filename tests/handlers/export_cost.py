"""What a refused ExportSubjectData costs, for the services' ``test_*_export_cost``: the refusal's
words (the subject asked written SUBJECT), the statements sent and the policy decisions taken."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import PermissionDenied
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.subjectdata.servicer import export_subject_data
from zorgtafel.testing import CountingEngine
from zorgtafel.testing.statements import statements


def statement_shapes(sent: list[str]) -> list[str]:
    """Each statement up to its condition: which table and columns, whatever the values (an
    empty list of cases is one statement as a list of one is)."""
    return [" ".join(s.split()).split(" WHERE ")[0] for s in sent]


def refused_export(
    platform: Any,
    engine: CountingEngine,
    service: str,
    export: Callable[..., Any],
    caller: Caller,
    by: str,
    value: str,
) -> tuple[str, list[str], int]:
    """The refusal of ``service``'s export by ``by`` = ``value`` to ``caller``, what it cost."""
    engine.evaluated = 0
    with statements() as sent, pytest.raises(PermissionDenied) as refused:
        export_subject_data(
            service, platform.uow_factory, PolicyGate(engine), export, by, value, caller
        )
    return (
        refused.value.message.replace(value, "SUBJECT"),
        statement_shapes(sent),
        engine.evaluated,
    )


def assert_refused_alike(
    platform: Any,
    policy_engine: Any,
    service: str,
    export: Callable[..., Any],
    caller: Caller,
    by: str,
    held: str,
    none: str,
) -> None:
    """The refusal by ``held`` (a subject the service holds data of) and by ``none`` (one it
    holds nothing of) say the same, send the same statements and take one decision each."""
    engine = CountingEngine(policy_engine)
    said_held, sent_held, decided_held = refused_export(
        platform, engine, service, export, caller, by, held
    )
    said_none, sent_none, decided_none = refused_export(
        platform, engine, service, export, caller, by, none
    )
    assert said_held == said_none
    assert sent_held == sent_none
    assert decided_held == decided_none == 1
