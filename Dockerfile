# syntax=docker/dockerfile:1
# One image for all four zorgtafel services; the command picks the service:
#   zorgtafel serve intake|casework|governance|disclosure     (gRPC + HTTP ops in one process)
#   zorgtafel migrate intake|casework|governance|disclosure   (Alembic migrations, then exit)
# Build (see deploy/k8s/README.md):
#   docker build -t registry.zorgtafel.example/zorgtafel/zorgtafel:0.1.0 .
#
# Base image pinned by version. For releases also pin the digest, e.g.
#   --build-arg PYTHON_IMAGE=python:3.11.13-slim-bookworm@sha256:<digest>
# (`docker buildx imagetools inspect python:3.11.13-slim-bookworm` prints it).
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

# ---- build: install the distribution and its dependencies into a virtualenv ----------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies ship as wheels (grpcio, psycopg[binary], cryptography, regopy): no compiler needed.
# The generated protobuf code is committed under zorgtafel/<service>/v1, so no code generation.
COPY pyproject.toml README.md* LICENSE* ./
COPY zorgtafel ./zorgtafel
COPY services ./services
RUN pip install --upgrade pip \
 && pip install . \
 && pip uninstall --yes pip setuptools wheel \
 && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} + \
 && python -m compileall -q /opt/venv/lib

# ---- runtime: the virtualenv, the policies, a non-root user; nothing else --------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="zorgtafel" \
      org.opencontainers.image.description="Information exchange of the Zorgtafel regio Oost-Brabant" \
      org.opencontainers.image.licenses="EUPL-1.2"
RUN groupadd --system --gid 10001 zorgtafel \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin zorgtafel \
 && mkdir -p /var/lib/zorgtafel \
 && chown 10001:10001 /var/lib/zorgtafel
COPY --from=build /opt/venv /opt/venv
# Rego policies for the embedded engine (production enforces governance-adopted bundles via OPA).
COPY policies/rego /app/policies/rego
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ZORGTAFEL_POLICY_DIR=/app/policies/rego \
    ZORGTAFEL_DATA_DIR=/var/lib/zorgtafel \
    ZORGTAFEL_GRPC_HOST=0.0.0.0 \
    ZORGTAFEL_GRPC_PORT=50051 \
    ZORGTAFEL_HTTP_HOST=0.0.0.0 \
    ZORGTAFEL_HTTP_PORT=8080
WORKDIR /app
USER 10001:10001
EXPOSE 50051 8080
ENTRYPOINT ["zorgtafel"]
CMD ["--help"]
