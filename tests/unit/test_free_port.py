"""free_port never hands out a port twice in a row of takers: the kernel may offer a port again
before the first taker has bound it (two services of one suite once got the same port)."""

from __future__ import annotations

from zorgtafel.kernel import broker


class _Socket:
    """A socket whose bind to port 0 gets the ports of ``offers`` in turn."""

    offers: list[int] = []

    def __enter__(self) -> _Socket:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def bind(self, address: tuple[str, int]) -> None:
        self.port = _Socket.offers.pop(0)

    def getsockname(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)


def test_a_port_offered_again_before_it_is_bound_is_not_handed_out_twice(monkeypatch):
    monkeypatch.setattr(broker.socket, "socket", _Socket)
    monkeypatch.setattr(broker, "_HANDED_OUT", broker.deque(maxlen=16))
    _Socket.offers = [49875, 49875, 49875, 41487]
    assert broker.free_port() == 49875
    assert broker.free_port() == 41487


def test_free_ports_are_real_and_distinct():
    ports = [broker.free_port() for _ in range(50)]
    assert len(set(ports)) == 50
    assert all(1024 < p < 65536 for p in ports)
