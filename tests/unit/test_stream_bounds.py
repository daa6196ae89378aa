"""The bounds on long-lived streams (zorgtafel/kernel/streams.py): how many are open in all and
per person, that a slot comes back however the stream ends, and when a stream must end."""

from __future__ import annotations

import pytest

from zorgtafel.kernel.auth import Principal
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.errors import TooManyStreams, Unauthenticated
from zorgtafel.kernel.streams import StreamLifetime, StreamSlots


def test_a_person_holds_at_most_their_share_and_all_together_at_most_the_total():
    slots = StreamSlots(total=3, per_person=2)
    with slots.held("P", "x"), slots.held("P", "x"):
        with pytest.raises(TooManyStreams, match="this person's share"):
            with slots.held("P", "x"):
                pass
        with slots.held("Q", "x"):  # the same id at another party is another person
            with pytest.raises(TooManyStreams, match="all of this service's"):
                with slots.held("P", "y"):
                    pass
            assert slots.open() == 3
    assert slots.open() == 0


def test_a_party_holds_at_most_its_share_whoever_of_it_asks():
    slots = StreamSlots(total=10, per_person=2, per_party=3)
    with slots.held("P", "x"), slots.held("P", "x"), slots.held("P", "y"):
        with pytest.raises(TooManyStreams, match="this party's share"):
            with slots.held("P", "z"):
                pass
        with slots.held("Q", "x"):
            assert slots.open() == 4
    with slots.held("P", "z"):  # given back when the party's streams closed
        assert slots.open() == 1


def test_a_slot_comes_back_when_its_stream_fails():
    slots = StreamSlots(total=1, per_person=1)
    with pytest.raises(RuntimeError):
        with slots.held("P", "x"):
            raise RuntimeError("the stream broke")
    with slots.held("P", "x"):
        assert slots.open() == 1


def test_a_turned_away_stream_is_told_when_to_ask_again():
    slots = StreamSlots(total=1, per_person=1)
    with slots.held("P", "x"), pytest.raises(TooManyStreams) as err:
        with slots.held("P", "y"):
            pass
    assert err.value.retry_after_s > 0 and err.value.subject == "all of this service's"


class Clocks:
    def __init__(self) -> None:
        self.wall = 1_000_000.0
        self.mono = 50.0


def lifetime(expires_at: float, clocks: Clocks, max_s: float = 300) -> StreamLifetime:
    principal = Principal("P", "x", "caseworker", "dev_token", expires_at=expires_at)
    return StreamLifetime(principal, max_s, wall=lambda: clocks.wall, clock=lambda: clocks.mono)


def test_a_stream_ends_unauthenticated_when_its_token_expires():
    clocks = Clocks()
    life = lifetime(clocks.wall + 10, clocks)
    assert not life.over()
    clocks.wall += 10
    with pytest.raises(Unauthenticated, match="expired"):
        life.check_token()
    with pytest.raises(Unauthenticated):
        life.over()


def test_a_stream_ends_after_its_longest_life_even_with_a_valid_token():
    clocks = Clocks()
    life = lifetime(clocks.wall + 3600, clocks, max_s=300)
    clocks.mono += 299.9
    assert not life.over()
    clocks.mono += 0.1
    assert life.over()


def test_wrong_bounds_are_named():
    for name in ("grpc_max_streams", "grpc_max_streams_per_person", "grpc_max_streams_per_party"):
        for value in ("0", "-1", "many", "1.5", "10001"):
            with pytest.raises(ValueError, match=f"ZORGTAFEL_{name.upper()}"):
                StreamSlots.from_settings(Settings(service="casework", extra={name: value}))
    default = StreamSlots.from_settings(Settings(service="casework"))
    assert (default.total, default.per_party, default.per_person) == (32, 16, 4)
