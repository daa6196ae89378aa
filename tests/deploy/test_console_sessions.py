"""The console's shared sessions in the cluster (deploy/k8s/components/console): more than one
replica, the sessions' database URL from the Secret console-db as a mounted file, the database
reachable through the NetworkPolicies (components/cnpg), and with
components/console/external-secrets every Secret the console mounts made from the secret store,
schema-valid against the upstream CRD."""

from __future__ import annotations

import pytest

from tests.deploy.test_k8s import (
    KUBERNETES_VERSION,
    OPERATOR_SECRETS,
    OVERLAYS,
    admits,
    container_env,
    kubernetes_validate,
    objects,
    pod_spec,
    upstream_errors,
)

TARGETS = [f"{o}+console+console/external-secrets" for o in OVERLAYS]


def console(target: str) -> dict:
    (d,) = [w for w in objects(target, "Deployment") if w["metadata"]["name"] == "console"]
    return d


def mounted_secret(spec: dict, container: dict, path: str) -> tuple[str, str] | None:
    """(Secret, key) a file of the container comes from."""
    volumes = {v["name"]: v for v in spec["volumes"]}
    for m in container["volumeMounts"]:
        root = m["mountPath"].rstrip("/") + "/"
        source = volumes[m["name"]].get("secret")
        if path.startswith(root) and source:
            rel = path[len(root) :]
            items = {i["path"]: i["key"] for i in source.get("items", [])}
            return source["secretName"], items.get(rel, rel)
    return None


@pytest.mark.parametrize("target", TARGETS)
def test_replicas_share_the_sessions_database_from_a_secret_file(target):
    d = console(target)
    spec = pod_spec(d)
    (app,) = spec["containers"]
    env = container_env(target, app)
    assert d["spec"]["replicas"] >= 2
    assert "ZORGTAFEL_CONSOLE_DATABASE_URL" not in env  # never the URL itself in the pod spec
    url_file = env["ZORGTAFEL_CONSOLE_DATABASE_URL_FILE"]
    assert mounted_secret(spec, app, url_file) == ("console-db", "url")
    assert "console-db" in OPERATOR_SECRETS


@pytest.mark.parametrize("target", [f"{o}+console" for o in OVERLAYS if "external-db" not in o])
def test_the_console_reaches_the_clusters_database(target):
    labels = console(target)["spec"]["template"]["metadata"]["labels"]
    db = {"cnpg.io/cluster": "zorgtafel-db"}
    assert admits(target, "egress", labels, db, 5432, ip_blocks=False)
    assert admits(target, "ingress", db, labels, 5432, ip_blocks=False)


@pytest.mark.parametrize("target", TARGETS)
def test_every_secret_the_console_mounts_comes_from_the_secret_store(target):
    spec = pod_spec(console(target))
    external = {e["spec"]["target"]["name"]: e for e in objects(target, "ExternalSecret")}
    mounted = {v["secret"]["secretName"]: v["secret"] for v in spec["volumes"] if "secret" in v}
    assert {"console-db", "console-secret-key"} <= set(mounted)
    for name, source in mounted.items():
        e = external[name]["spec"]
        assert e["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "zorgtafel"}
        assert e["target"]["creationPolicy"] == "Owner"
        assert {i["key"] for i in source["items"]} == {x["secretKey"] for x in e["data"]}
    for obj in objects(target):
        if (
            obj["metadata"]["name"].startswith(("console", "allow-console"))
            and obj["kind"] != "ExternalSecret"
        ):
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_the_consoles_external_secrets_match_the_upstream_crd():
    seen = {e["metadata"]["name"]: e for t in TARGETS for e in objects(t, "ExternalSecret")}
    console_own = [e for n, e in seen.items() if n.startswith("console-")]
    assert len(console_own) == 4
    assert upstream_errors(console_own) == []
