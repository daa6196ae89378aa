"""The demo plays partner systems: a person's token is reused until shortly before it expires,
as a partner uses what its identity provider issued (not a new token per call)."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from zorgtafel.demo import plumbing
from zorgtafel.demo.actors import Actor
from zorgtafel.demo.plumbing import StoryBase

ANNA = Actor("process director", "00000099000000000001", "process_director", "pd-anna")
BERT = Actor("delegate", "00000099000000000002", "caseworker", "dl-bert")


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def story(clock) -> StoryBase:
    private = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Channels are made, never used: no call leaves this test.
    endpoints = {s: "127.0.0.1:9" for s in ("intake", "casework", "disclosure", "governance")}
    return StoryBase(endpoints=endpoints, private_key=private, out=lambda _line: None, clock=clock)


def token(story: StoryBase, actor: Actor) -> str:
    (header,) = story.md(actor)
    assert header[0] == "authorization"
    return header[1].removeprefix("Bearer ")


def test_a_person_calls_with_the_same_token_while_it_is_valid(story):
    first = token(story, ANNA)
    assert token(story, ANNA) == first
    claims = jwt.decode(first, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == plumbing.TOKEN_TTL_S
    assert (claims["party"], claims["role"], claims["sub"]) == (
        ANNA.party,
        ANNA.role,
        ANNA.person,
    )


def test_each_person_and_job_has_a_token_of_their_own(story):
    assert token(story, ANNA) != token(story, BERT)
    same_person_other_job = Actor("worker", ANNA.party, "caseworker", ANNA.person)
    assert token(story, ANNA) != token(story, same_person_other_job)


def test_a_token_is_renewed_before_it_expires(story, clock):
    first = token(story, ANNA)
    clock.now += plumbing.TOKEN_TTL_S - plumbing.TOKEN_RENEW_BEFORE_S - 1
    assert token(story, ANNA) == first
    clock.now += 1
    assert token(story, ANNA) != first
