"""The console's Kubernetes component (deploy/k8s/components/console) on top of every overlay:
schema-valid, hardened like the services' pods (restricted Pod Security Standard), production
settings (no development login), probes on the readiness endpoint."""

from __future__ import annotations

import pytest

from tests.deploy.test_k8s import (
    KUBERNETES_VERSION,
    OVERLAYS,
    check_container,
    container_env,
    kubernetes_validate,
    objects,
    pod_spec,
    restricted_violations,
)

TARGETS = [f"{o}+console" for o in OVERLAYS]


def console_deployment(target: str) -> dict:
    (d,) = [w for w in objects(target, "Deployment") if w["metadata"]["name"] == "console"]
    return d


@pytest.mark.parametrize("target", TARGETS)
def test_the_console_deployment_is_valid_and_hardened(target):
    for obj in objects(target):
        if obj["metadata"]["name"].startswith(("console", "allow-console", "allow-ingress-to")):
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    d = console_deployment(target)
    spec = pod_spec(d)
    (app,) = spec["containers"]
    problems = check_container("console", app, spec["securityContext"], needs_probes=True)
    problems += restricted_violations("console", spec, {})
    assert not problems, problems
    assert spec["automountServiceAccountToken"] is False
    assert app["args"] == ["serve", "console"]
    assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
    env = container_env(target, app)
    assert env["ZORGTAFEL_ENV"] == "production"  # never the development login in a cluster
    assert env["ZORGTAFEL_CONSOLE_SECRET_KEY_FILE"].startswith("/etc/zorgtafel/console/")
    names = {p["metadata"]["name"] for p in objects(target, "NetworkPolicy")}
    assert {"allow-ingress-to-console", "allow-console-egress"} <= names
