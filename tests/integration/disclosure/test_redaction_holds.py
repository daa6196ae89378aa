"""Redaction that holds (art. 16.2, issue #14), over real gRPC on SQLite and PostgreSQL: a
summary-only field is withheld at any depth and in any case, every redacted path is reported,
and Provide refuses content whose keys only look like a summary-only field."""

from __future__ import annotations

import json

import grpc
import pytest

from tests.integration.disclosure.conftest import (
    CELLO,
    GGZ,
    field_violations,
    provide,
    request,
    terms,
)
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.testing import rid

PLACEHOLDER = "[summary only]"


def test_a_nested_field_in_another_case_is_redacted_on_release(env):
    case_id, _ = env.open_case()
    item = provide(
        env,
        case_id,
        content=json.dumps(
            {"contact": {"Address": "Kerkstraat 12, Helmond", "phone_known": True}, "risk": "low"}
        ).encode(),
        usage=terms(summary_only_fields=["address"]),
        summaries={"address": "lives in the region"},
    )
    released = request(env, CELLO, [item]).items[0]
    assert b"Kerkstraat" not in released.content
    assert json.loads(released.content) == {
        "contact": {"Address": "lives in the region", "phone_known": True},
        "risk": "low",
    }
    assert list(released.redacted_fields) == ["contact.Address"]
    assert "redact" in {o.kind for o in released.obligations}


def test_a_field_in_each_object_of_an_array_is_redacted_and_every_path_reported(env):
    case_id, _ = env.open_case()
    item = provide(
        env,
        case_id,
        content=json.dumps(
            {
                "diagnosis": "complex PTSD",
                "contacts": [
                    {"name": "sister", "ADDRESS": "Dorpsweg 3"},
                    {"name": "friend", "address": {"street": "Molenlaan 8", "city": "Asten"}},
                    {"name": "mentor"},
                ],
            }
        ).encode(),
        usage=terms(summary_only_fields=["address", "diagnosis"]),
        summaries={"diagnosis": "trauma-related care ongoing"},
    )
    released = request(env, CELLO, [item]).items[0]
    for secret in (b"PTSD", b"Dorpsweg", b"Molenlaan", b"Asten"):
        assert secret not in released.content
    assert json.loads(released.content) == {
        "diagnosis": "trauma-related care ongoing",
        "contacts": [
            {"name": "sister", "ADDRESS": PLACEHOLDER},
            {"name": "friend", "address": PLACEHOLDER},
            {"name": "mentor"},
        ],
    }
    assert list(released.redacted_fields) == [
        "contacts[0].ADDRESS",
        "contacts[1].address",
        "diagnosis",
    ]


def test_terms_set_after_provide_withhold_nested_fields_too(env):
    case_id, _ = env.open_case()
    item = provide(
        env, case_id, content=json.dumps({"visits": [{"Address": "Kerkstraat 12"}]}).encode()
    )
    env.stub.SetUsageTerms(
        pb.SetUsageTermsRequest(
            request_id=rid(), item_id=item, terms=terms(summary_only_fields=["address"])
        ),
        metadata=env.md(GGZ),
    )
    released = request(env, CELLO, [item]).items[0]
    assert json.loads(released.content) == {"visits": [{"Address": PLACEHOLDER}]}
    assert list(released.redacted_fields) == ["visits[0].Address"]


def test_provide_refuses_a_key_that_only_looks_like_a_summary_only_field(env):
    case_id, _ = env.open_case()
    for look_alike in ("ａｄｄｒｅｓｓ", "address\u200b", " Address"):
        content = json.dumps({"contact": {look_alike: "Kerkstraat 12"}}, ensure_ascii=False)

        def call(content=content):
            provide(
                env, case_id, content=content.encode(), usage=terms(summary_only_fields=["address"])
            )

        assert field_violations(call) == ["content"]
        with pytest.raises(grpc.RpcError) as err:
            call()
        assert "Kerkstraat" not in err.value.details()
        assert "ddress" not in err.value.details()


def test_terms_naming_one_field_in_two_cases_are_refused(env):
    case_id, _ = env.open_case()
    assert field_violations(
        lambda: provide(
            env,
            case_id,
            content=json.dumps({"address": "Kerkstraat 12"}).encode(),
            usage=terms(summary_only_fields=["address", "Address"]),
        )
    ) == ["terms.summary_only_fields"]
