"""One governance service per database variant for this package's tests (module scope keeps
the broker's consumer-group assignment and the seeding to once per variant).

The service runs the real embedded engine; every input it sends to ``zorgtafel.governance``
is also checked against that policy's JSON Schema, so a renamed fact fails a test instead of
silently becoming a deny."""

from __future__ import annotations

import pytest

from tests.integration.governance.harness import Board, Council
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as pb_grpc
from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.kernel.config import DEFAULT_POLICY_DIR
from zorgtafel.policy.factory import engine_from_settings
from zorgtafel.policy.schemas import validate_input
from zorgtafel.testing import ServiceEnv, service_env


class SchemaCheckedEngine:
    """The real engine; inputs of the governance policy are validated against its schema."""

    def __init__(self, engine) -> None:
        self._engine = engine
        self.invalid: list[str] = []
        self.checked = 0

    @property
    def revision(self) -> str:
        return self._engine.revision

    def decide(self, policy, input):
        if policy == "zorgtafel.governance":
            self.checked += 1
            try:
                validate_input(policy, input)
            except Exception as exc:  # noqa: BLE001 - collected and asserted at teardown
                self.invalid.append(f"{input.get('action')}: {exc}"[:500])
        return self._engine.decide(policy, input)

    def __getattr__(self, name):
        return getattr(self._engine, name)


class GovernanceEnv(ServiceEnv):
    """The running service with the board's seat holders and the council's delegates."""

    def __init__(self, app, keys, publisher, logs=None) -> None:
        super().__init__(app, keys, publisher, logs, stub_class=pb_grpc.GovernanceServiceStub)
        self.board = Board(app, keys)
        self.council = Council(app, keys)


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    """A broker of this module's own (shadows the session broker): these tests accede, exclude
    and withdraw parties and adopt policy revisions, facts that must not reach the projections
    of other packages' tests sharing the session broker."""
    b = LocalBroker(free_port(), log_file=tmp_path_factory.mktemp("gov-broker") / "broker.log")
    b.start()
    yield b
    b.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def gov_env(request, broker, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    data_dir = tmp_path_factory.mktemp(f"gov-{request.param}")
    policy = SchemaCheckedEngine(engine_from_settings("embedded", DEFAULT_POLICY_DIR, "", 2.0))
    with service_env(
        "governance",
        GovernanceEnv,
        broker.bootstrap,
        data_dir,
        url,
        policy=policy,
        extra={"withdrawal_tick_s": "0.3"},
    ) as env:
        yield env
    assert policy.checked > 0
    assert policy.invalid == []
