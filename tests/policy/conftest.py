from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the OPA test double lives beside the tests

from zorgtafel.policy.embedded import EmbeddedEngine  # noqa: E402

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies" / "rego"


@pytest.fixture(autouse=True, scope="module")
def _drop_rego_engines_on_this_thread():
    """A regorus engine may only be dropped on the thread that made it. One held in a reference
    cycle (a failed or xfailed test's traceback) is otherwise freed by whichever thread's
    allocation runs the cyclic collector next, in a later module perhaps a service's thread:
    PyO3 then refuses the drop ("unsendable", seen once beside two test processes)."""
    yield
    gc.collect()


@pytest.fixture(scope="session")
def policy_dir() -> Path:
    return POLICY_DIR


@pytest.fixture(scope="session")
def embedded() -> EmbeddedEngine:
    engine = EmbeddedEngine(POLICY_DIR, timeout_s=5.0)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def embedded_regorus() -> EmbeddedEngine:
    """The embedded engine with the regorus evaluator (ADR 0011)."""
    engine = EmbeddedEngine(POLICY_DIR, timeout_s=5.0, evaluator="regorus")
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def opa_double():
    from opa_double import OpaDouble, RegorusPolicy

    with OpaDouble(RegorusPolicy(POLICY_DIR)) as double:
        yield double


@pytest.fixture()
def opa(opa_double):
    from zorgtafel.policy.opa import OpaEngine

    opa_double.mode = "ok"
    engine = OpaEngine(opa_double.url, timeout_s=2.0)
    yield engine
    opa_double.mode = "ok"
    engine.close()


@pytest.fixture(params=["embedded", "embedded_regorus", "opa"])
def engine(request, embedded, embedded_regorus, opa):
    """Every decision test runs through both engines, the embedded one with each evaluator."""
    return {"embedded": embedded, "embedded_regorus": embedded_regorus, "opa": opa}[request.param]
