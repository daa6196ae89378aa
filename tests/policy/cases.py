"""Example inputs shared by the decision, schema and CLI tests (valid against the schemas)."""

from __future__ import annotations

import copy

POLICE = "00000099000000000001"
CARE = "00000099000000000002"
SHELTER = "00000099000000000003"


def principal(role: str, status: str = "active", party: str = CARE) -> dict:
    return {
        "party": party,
        "party_status": status,
        "role": role,
        "person": "anna",
        "authenticated_by": "mtls",
    }


def authz(method: str, role: str, status: str = "active") -> dict:
    return {"method": method, "principal": principal(role, status)}


def disclosure(**changes) -> dict:
    base = {
        "action": "read",
        "purpose": "care_coordination",
        "now": "2025-06-01T12:00:00Z",
        "recipient": {
            "party": CARE,
            "is_party": True,
            "party_status": "active",
            "role": "caseworker",
            "person": "anna",
            "functions": [],
        },
        # Who asks (ADR 0005): for read, pre_read and onward_share the recipient itself.
        "requester": {
            "party": CARE,
            "is_party": True,
            "party_status": "active",
            "role": "caseworker",
            "person": "anna",
            "functions": [],
        },
        "item": {
            "id": "item-1",
            "case_id": "case-1",
            "provider": POLICE,
            "category": "safety",
            "classification": "confidential",
            "legal_basis": "public_task",
            "retracted": False,
            "terms": {
                "recipient_parties": [],
                "recipient_roles": [],
                "purposes": ["care_coordination"],
                "onward_sharing_allowed": False,
                "summary_only_fields": [],
                "expires_at": "2030-01-01T00:00:00Z",
                "pre_read_allowed": False,
            },
        },
        "case": {
            "id": "case-1",
            "involved": {CARE: {"role": "care_provider", "information_need": ["safety"]}},
            "nominating_party": CARE,
            "process_director": None,
            "case_director": None,
            "delegates": {CARE: ["anna"]},
        },
        "subject": {"age": 30},
        "consents": {"subject": [], "provider_written": []},
        "break_glass": None,
    }
    result = copy.deepcopy(base)
    for path, value in changes.items():
        node = result
        keys = path.split("__")
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    return result


CRITERIA = {
    "local_safety_problems": True,
    "family_system_affected": False,
    "multiple_chains_needed": True,
    "coercion_and_pressure_needed": True,
    "life_domains": ["housing", "safety"],
}

INVITE = {
    "case": {"id": "case-1", "themes": ["safety"], "nominating_party": POLICE},
    "candidates": [
        {
            "party": CARE,
            "is_party": True,
            "status": "active",
            "relevance": "asked_in_triage",
            "lawful_themes": ["safety"],
        },
        {
            "party": SHELTER,
            "is_party": True,
            "status": "excluded",
            "relevance": "asked_in_triage",
            "lawful_themes": ["safety"],
        },
    ],
}
