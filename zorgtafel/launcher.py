"""``zorgtafel up``: the whole suite on one machine, no Docker. A Kafka-protocol broker, the
four services as separate processes (SQLite files under one data directory, embedded policy)
and the web console on port 8080, readiness awaited, endpoints printed. Ctrl-C (or SIGTERM)
stops everything and leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

from zorgtafel.kernel.broker import LocalBroker
from zorgtafel.kernel.config import DEFAULT_GRPC_PORTS, DEFAULT_HTTP_PORTS, SERVICES
from zorgtafel.kernel.devkeys import ensure_dev_keys
from zorgtafel.kernel.lifeline import parent_env


def service_env(
    service: str, data_dir: Path, bootstrap: str, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    up = service.upper()
    env.update(
        {
            "ZORGTAFEL_DATA_DIR": str(data_dir),
            "ZORGTAFEL_KAFKA_BOOTSTRAP": bootstrap,
            "ZORGTAFEL_GRPC_PORT": env.get(
                f"ZORGTAFEL_{up}_GRPC_PORT", str(DEFAULT_GRPC_PORTS[service])
            ),
            "ZORGTAFEL_HTTP_PORT": env.get(
                f"ZORGTAFEL_{up}_HTTP_PORT", str(DEFAULT_HTTP_PORTS[service])
            ),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("ZORGTAFEL_DATABASE_URL", None)  # the embedded default: a SQLite file each
    # glibc's malloc keeps an arena per thread up to 8 per core; two serve a service's threads
    # as well and keep its peak RSS 2-4 MB lower after 20 demo cases (issue #16; as the image).
    env.setdefault("MALLOC_ARENA_MAX", "2")
    # A development suite keeps closed cases for 0 days so that purge can be tried at once
    # (the demo does); production sets the work process's retention period.
    env.setdefault("ZORGTAFEL_CASEWORK_RETENTION_DAYS", "0")
    return env


def wait_ready(http_port: int, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            readyz = f"http://127.0.0.1:{http_port}/readyz"  # fixed loopback http URL
            with urllib.request.urlopen(readyz, timeout=1) as r:  # nosec B310
                if r.status == 200 and json.loads(r.read()).get("ready"):
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _tail(path: Path, lines: int = 15, limit: int = 4000) -> str:
    try:
        text = path.read_bytes()[-limit:].decode("utf-8", "replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


class Suite:
    """The services as separate processes beside one broker. Tests and benchmarks use it with
    other ports, a subset of the services, or PostgreSQL (a schema per service)."""

    def __init__(
        self,
        data_dir: Path,
        broker_port: int = 9092,
        *,
        services: tuple[str, ...] = SERVICES,
        database_url: str = "",
        schema_prefix: str = "",
        ports: dict[str, tuple[int, int]] | None = None,
        broker: LocalBroker | None = None,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.extra_env = dict(extra_env or {})  # e.g. a test's looser policy timeout
        self.own_broker = broker is None
        self.broker = broker or LocalBroker(broker_port, log_file=self.data_dir / "broker.log")
        self.services = services
        self.database_url = database_url
        self.schema_prefix = schema_prefix
        self.ports = ports or {}
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.envs: dict[str, dict[str, str]] = {}

    def _env(self, service: str) -> dict[str, str]:
        env = service_env(service, self.data_dir, self.broker.bootstrap)
        env.update(self.extra_env)
        env.update(parent_env())  # a killed starter leaves no service behind
        if service in self.ports:
            env["ZORGTAFEL_GRPC_PORT"], env["ZORGTAFEL_HTTP_PORT"] = map(str, self.ports[service])
        if self.database_url:
            env["ZORGTAFEL_DATABASE_URL"] = self.database_url
            env["ZORGTAFEL_DATABASE_SCHEMA"] = f"{self.schema_prefix}{service}"
        if service == "casework":
            # Casework asks disclosure whether pre-read items may be shown (12.2f).
            port = (
                self.ports["disclosure"][0]
                if "disclosure" in self.ports
                else env.get("ZORGTAFEL_DISCLOSURE_GRPC_PORT", DEFAULT_GRPC_PORTS["disclosure"])
            )
            env.setdefault("ZORGTAFEL_DISCLOSURE_ADDRESS", f"127.0.0.1:{port}")
        if service == "disclosure":
            # Disclosure asks the others for their part of the subject access report (#14).
            for peer in ("intake", "casework", "governance"):
                peer_port = (
                    self.ports[peer][0]
                    if peer in self.ports
                    else env.get(f"ZORGTAFEL_{peer.upper()}_GRPC_PORT", DEFAULT_GRPC_PORTS[peer])
                )
                env.setdefault(f"ZORGTAFEL_{peer.upper()}_ADDRESS", f"127.0.0.1:{peer_port}")
        return env

    def spawn(self, service: str) -> subprocess.Popen[bytes]:
        env = self.envs.setdefault(service, self._env(service))
        log = open(self.data_dir / f"{service}.log", "ab")
        self.procs[service] = subprocess.Popen(
            [sys.executable, "-m", "zorgtafel.cli", "serve", service],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        return self.procs[service]

    def spawn_console(self, port: int = 8080, host: str = "127.0.0.1") -> subprocess.Popen[bytes]:
        """The web console (issue #19) beside the services: a client of their gRPC APIs with
        the development login (this is a development suite)."""
        env = dict(os.environ)
        env.update(self.extra_env)
        env.update(parent_env())
        env.update(
            {
                "ZORGTAFEL_ENV": "dev",
                "ZORGTAFEL_DATA_DIR": str(self.data_dir),
                "ZORGTAFEL_CONSOLE_HOST": host,
                "ZORGTAFEL_CONSOLE_PORT": str(port),
                "ZORGTAFEL_HTTP_PORT": str(port),  # where wait_ready finds /readyz
                "PYTHONUNBUFFERED": "1",
            }
        )
        for service in self.services:
            env[f"ZORGTAFEL_CONSOLE_{service.upper()}_ADDRESS"] = (
                f"127.0.0.1:{self.envs[service]['ZORGTAFEL_GRPC_PORT']}"
            )
        self.envs["console"] = env
        log = open(self.data_dir / "console.log", "ab")
        self.procs["console"] = subprocess.Popen(
            [sys.executable, "-m", "zorgtafel.cli", "serve", "console"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        return self.procs["console"]

    def wait_ready(self, service: str, timeout: float = 90.0) -> None:
        port = int(self.envs[service]["ZORGTAFEL_HTTP_PORT"])
        proc = self.procs[service]
        if not wait_ready(port, timeout, proc):
            path = self.data_dir / (service + ".log")
            how = (
                f"it exited with status {proc.returncode}"
                if proc.poll() is not None
                else f"not ready within {timeout:.0f}s"
            )
            # The end of its log, where the reason is (a port taken, a failed migration): a
            # test's temporary directory is gone by the time someone reads a CI log. Service
            # logs hold ids and codes only, never personal data.
            raise RuntimeError(
                f"{service} did not become ready ({how}); the end of {path}:\n{_tail(path)}"
            )

    def kill(self, service: str) -> None:
        proc = self.procs[service]
        proc.kill()
        proc.wait()

    def start(self, timeout: float = 90.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        ensure_dev_keys(self.data_dir)
        if self.own_broker:
            self.broker.start()
        for service in self.services:
            self.spawn(service)
        for service in self.services:
            self.wait_ready(service, timeout)

    def stop(self, timeout: float = 15.0) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self.procs.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.own_broker:
            self.broker.stop()

    def describe(self) -> str:
        rows = [f"{'service':<11} {'gRPC':<17} ops (HTTP)"]
        for s in self.services:
            e = self.envs[s]
            rows.append(
                f"{s:<11} 127.0.0.1:{e['ZORGTAFEL_GRPC_PORT']:<7} "
                f"http://127.0.0.1:{e['ZORGTAFEL_HTTP_PORT']}/readyz"
            )
        rows.append(f"{'broker':<11} {self.broker.bootstrap:<17} (tansu, memory storage)")
        if "console" in self.envs:
            rows.append(
                f"{'console':<11} http://127.0.0.1:{self.envs['console']['ZORGTAFEL_CONSOLE_PORT']}/"
                "  (web console, development login)"
            )
        rows.append(
            f"data: {self.data_dir}   tokens: zorgtafel token --party OIN --role ROLE "
            f"--person ID --data-dir {self.data_dir}"
        )
        env = self.envs[self.services[0]]
        if env.get("ZORGTAFEL_RETENTION_OVERRIDE_S"):
            rows.append(
                f"retention (development): {env['ZORGTAFEL_RETENTION_OVERRIDE_S']} seconds, "
                f"checked every {env.get('ZORGTAFEL_RETENTION_INTERVAL_S', '600')} s "
                "(ZORGTAFEL_RETENTION_OVERRIDE_S; production: the adopted policy)"
            )
        else:
            days = env.get("ZORGTAFEL_CASEWORK_RETENTION_DAYS")
            rows.append(
                f"closed cases are kept {days} day(s) before purge "
                "(ZORGTAFEL_CASEWORK_RETENTION_DAYS)"
            )
        return "\n".join(rows)


# `zorgtafel up` (a development suite): closed cases are purged by the retention schedulers
# DEV_CLOSED_CASE_S seconds after closing, checked every DEV_RETENTION_TICK_S seconds, so the
# demo shows an automatic purge. Production follows the adopted retention policy.
DEV_CLOSED_CASE_S = 20
DEV_RETENTION_TICK_S = 2


def dev_retention_env() -> dict[str, str]:
    return {
        "ZORGTAFEL_RETENTION_OVERRIDE_S": os.environ.get(
            "ZORGTAFEL_RETENTION_OVERRIDE_S", f"case_closed={DEV_CLOSED_CASE_S}"
        ),
        "ZORGTAFEL_RETENTION_INTERVAL_S": os.environ.get(
            "ZORGTAFEL_RETENTION_INTERVAL_S", str(DEV_RETENTION_TICK_S)
        ),
    }


def run_suite(data_dir: Path, broker_port: int = 9092) -> int:
    suite = Suite(data_dir, broker_port, extra_env=dev_retention_env())
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        print("starting the broker, the four services and the console ...", flush=True)
        suite.start()
        suite.spawn_console(int(os.environ.get("ZORGTAFEL_CONSOLE_PORT", "8080")))
        try:
            suite.wait_ready("console", timeout=30)
        except RuntimeError as exc:
            # The services are still of use to partner systems without the console (e.g. its
            # port is taken): say so and go on rather than stop everything.
            print(f"warning: {exc} (port taken? set ZORGTAFEL_CONSOLE_PORT)", flush=True)
            console = suite.procs.pop("console")
            console.kill()
            console.wait()
            suite.envs.pop("console")
        print(suite.describe(), flush=True)
        print("ready. Ctrl-C stops everything.", flush=True)
        while not stop.wait(0.5):
            for name, proc in suite.procs.items():
                if proc.poll() is not None:
                    print(
                        f"{name} exited with code {proc.returncode}; stopping the suite", flush=True
                    )
                    return 1
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        print("stopping ...", flush=True)
        suite.stop()
        print("stopped.", flush=True)
