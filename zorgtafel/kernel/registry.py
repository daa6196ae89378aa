"""The four services, by name, to their definition (an explicit table, imported lazily)."""

from __future__ import annotations

from importlib import import_module

from zorgtafel.kernel.service import ServiceDefinition

DEFINITIONS = {
    "intake": "services.intake.entrypoints.service",
    "casework": "services.casework.entrypoints.service",
    "governance": "services.governance.entrypoints.service",
    "disclosure": "services.disclosure.entrypoints.service",
}


def definition(name: str) -> ServiceDefinition:
    if name not in DEFINITIONS:
        raise ValueError(f"unknown service {name!r}")
    return import_module(DEFINITIONS[name]).definition()
