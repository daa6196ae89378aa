"""The four services, by name, to their definition (an explicit table, imported lazily)."""

from __future__ import annotations

from importlib import import_module

from zorgtafel.kernel.service import ServiceDefinition

DEFINITIONS = {
    "intake": "services.intake.bootstrap",
    "casework": "services.casework.bootstrap",
    "governance": "services.governance.bootstrap",
    "disclosure": "services.disclosure.bootstrap",
}


def definition(name: str) -> ServiceDefinition:
    if name not in DEFINITIONS:
        raise ValueError(f"unknown service {name!r}")
    found: ServiceDefinition = import_module(DEFINITIONS[name]).definition()
    return found
