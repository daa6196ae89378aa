"""Who is signed in: a person's token from the party's identity provider (OpenID Connect), or
in development a token minted with the suite's development key, the same kind that
``zorgtafel token`` prints."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from zorgtafel.demo import actors
from zorgtafel.kernel.devkeys import mint_token


@dataclass(frozen=True)
class Person:
    """What the console shows and routes by. The services never trust it: they verify the
    token on every call."""

    person: str
    party: str
    role: str
    label: str = ""


# The regional board's people for the secretaries' pages (art. 4.3): a seat makes them members,
# not this list; the console walk has their parties' representatives and the chair appoint them.
BOARD: tuple[actors.Actor, ...] = (
    actors.Actor("board chair (Grave)", "00000099000000000016", "board_chair", "rb-gerda"),
    actors.Actor("board member (Best)", "00000099000000000004", "board_member", "rb-bas"),
    actors.Actor("board secretary", actors.HELMOND, "board_secretary", "rb-sanne"),
)

# The shelter's auditor (Bijlage 3, NEN 7513): reads the logs and the registers, decides nothing.
AUDITOR = actors.Actor("auditor (Leger des Heils)", actors.LEGER_DES_HEILS, "auditor", "au-aart")

# The demo's people, offered by the development login (zorgtafel/demo/actors.py).
DEMO_PEOPLE: tuple[actors.Actor, ...] = (
    actors.SHELTER,
    actors.PROCESS_DIRECTOR,
    actors.POLICE_OFFICER,
    actors.MUNICIPALITY,
    actors.PRIVACY_OFFICER,
    actors.OTHER_PRIVACY_OFFICER,
    AUDITOR,
    actors.OUTSIDER,
    actors.POLICE_COLLEAGUE,
    actors.OTHER_DIRECTOR,
    *BOARD,
)


def demo_person(person_id: str) -> actors.Actor | None:
    return next((a for a in DEMO_PEOPLE if a.person == person_id), None)


# The services accept a token of at most an hour (ZORGTAFEL_JWT_MAX_LIFETIME_S).
DEV_TOKEN_TTL_S = 3600


def token_expires_soon(token: str, margin_s: int = 120) -> bool:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return float(claims.get("exp", 0)) - time.time() < margin_s


def dev_token(data_dir: Path, actor: actors.Actor, ttl_s: int) -> str:
    private = (data_dir / "dev-keys" / "jwt-private.pem").read_bytes()
    return mint_token(private, party=actor.party, role=actor.role, person=actor.person, ttl_s=ttl_s)


def person_of(token: str, label: str = "") -> Person:
    """The claims a page needs to choose what to offer, read without verifying the signature:
    the console decides nothing with them; each service verifies the token itself."""
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return Person(
        str(claims.get("sub", "")), str(claims.get("party", "")), str(claims.get("role", "")), label
    )
