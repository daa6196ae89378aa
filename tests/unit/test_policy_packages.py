"""Each service compiles at start only the policy packages it asks (issue #16: an interpreter per
package costs 2-8 MB in every process). A package asked but not named would be compiled on its
first decision, inside that decision's timeout: on a busy machine a fail-closed refusal. So every
policy package a service's code names (as a string, e.g. ``ACCESS = "zorgtafel.intake.access"``)
must be among those compiled at start."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from zorgtafel.kernel.bootstrap import KERNEL_POLICIES, compiled_policies
from zorgtafel.kernel.config import SERVICES
from zorgtafel.kernel.registry import definition
from zorgtafel.policy import sources
from zorgtafel.policy.entrypoints import entrypoints
from zorgtafel.policy.sources import default_policy_dir

REPO = Path(__file__).resolve().parents[2]
PACKAGES = frozenset(e.package for e in entrypoints(default_policy_dir()))
# Named in the kernel without being asked: the free-text fields of a decision input per package.
NAMED_NOT_ASKED = {REPO / "zorgtafel/kernel/accesslog/inputs.py"}


def named_packages(root: Path) -> set[str]:
    found = set()
    for path in root.rglob("*.py"):
        if path in NAMED_NOT_ASKED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in PACKAGES:
                found.add(node.value)
    return found


def test_the_kernel_compiles_every_package_its_own_code_asks_at_start():
    assert named_packages(REPO / "zorgtafel/kernel") <= KERNEL_POLICIES
    assert KERNEL_POLICIES <= PACKAGES


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_compiles_every_package_its_code_asks_at_start(service):
    declared = definition(service).policies
    assert declared <= PACKAGES, f"{service} names no such package: {declared - PACKAGES}"
    missing = named_packages(REPO / "services" / service) - declared - KERNEL_POLICIES
    assert not missing, f"{service} asks {sorted(missing)} without compiling it at start"


def test_an_engine_given_packages_compiles_those_and_answers_the_others_on_first_use():
    from zorgtafel.policy.embedded import EmbeddedEngine

    engine = EmbeddedEngine(
        default_policy_dir(), timeout_s=30.0, workers=1, packages={"zorgtafel.retention"}
    )
    try:
        assert set(engine._slots) == {"zorgtafel.retention"}
        assert engine.healthy()
        assert "zorgtafel.authz" not in engine._slots
        probe = {
            "method": "/grpc.health.v1.Health/Check",
            "principal": {
                "party": "00000000000000000000",
                "person": "p",
                "role": "probe",
                "authenticated_by": "dev_token",
                "party_status": "unknown",
            },
            "resource": {},
        }
        assert engine.decide("zorgtafel.authz", probe).allow is not True
        assert "zorgtafel.authz" in engine._slots
    finally:
        engine.close()


def _own_packages(service: str) -> set[str]:
    return {
        p for p in PACKAGES if p == f"zorgtafel.{service}" or p.startswith(f"zorgtafel.{service}.")
    }


@pytest.mark.parametrize("service", SERVICES)
def test_the_kernel_asks_no_package_of_a_service_so_no_service_compiles_anothers(service):
    """Each service compiles the kernel's packages at start: one of a service's own packages
    among them is compiled, and held, by every other service too (disclosure.control, asked by
    the kernel for its access-log rule alone, was 4.9 MB of each service: issue #16)."""
    assert not KERNEL_POLICIES & _own_packages(service)


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_compiles_at_start_only_packages_its_code_or_the_kernels_asks(service):
    compiled = compiled_policies(definition(service))
    asked = named_packages(REPO / "zorgtafel/kernel") | named_packages(REPO / "services" / service)
    assert compiled <= asked, f"{service} compiles {sorted(compiled - asked)} it never asks"


def test_the_access_log_is_asked_of_a_package_that_decides_reading_it_alone():
    """Every service serves its access log: the package asked holds that rule and no more."""
    from zorgtafel.kernel.accesslog.listing import POLICY
    from zorgtafel.policy.schemas import load_schema

    assert POLICY in KERNEL_POLICIES
    assert load_schema(POLICY)["properties"]["operation"]["enum"] == ["query_access_log"]
    modules = sources.closure(sources.modules(default_policy_dir()), [POLICY])
    assert {m.package for m in modules} == {POLICY, "zorgtafel.lib"}


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_compiles_one_package_for_reading_its_access_log(service):
    """Each compiled package costs an interpreter and a query (about 2 MB, issue #16): a
    service compiles zorgtafel.accesslog, or, where a package it asks anyway answers the access
    log too (disclosure: control), that package alone; only disclosure compiles control."""
    compiled = compiled_policies(definition(service))
    readers = compiled & {"zorgtafel.accesslog", "zorgtafel.disclosure.control"}
    assert readers == {definition(service).access_log_policy}
    assert ("zorgtafel.disclosure.control" in compiled) == (service == "disclosure")
