"""One console per party (docs/adr/0009-one-console-per-party.md) in the cluster: the console
component names its party and mounts that party's client certificate for mTLS towards the
services; deploy/k8s/examples/console-per-party makes two parties' consoles from it, each
hardened like the services, with its own party, certificate, identity provider client and
Secrets (ExternalSecrets), and neither selecting the other's pods."""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache

import pytest

from tests.deploy.test_k8s import (
    K8S,
    KUBECTL,
    KUBERNETES_VERSION,
    OVERLAYS,
    check_container,
    container_env,
    crd_schema_file,
    crd_validator,
    is_custom_resource,
    kubernetes_validate,
    objects,
    pod_spec,
    render,
    restricted_violations,
    selector_matches,
    upstream_errors,
    yaml,
)
from zorgtafel.kernel.auth import OIN_RE

EXAMPLE = K8S / "examples" / "console-per-party"
PARTIES = {"helmond": "00000099000000000018", "eindhoven": "00000099000000000013"}
TLS_FILES = ("CA", "CERT", "KEY")


@lru_cache(maxsize=None)
def example() -> tuple[dict, ...]:
    if KUBECTL is None:
        pytest.skip("kubectl (with kustomize) is not installed: cannot render deploy/k8s")
    out = subprocess.run(
        [KUBECTL, "kustomize", str(EXAMPLE)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return tuple(d for d in yaml.safe_load_all(out) if d)


def env_of(objs: tuple[dict, ...], container: dict) -> dict[str, str]:
    cms = {c["metadata"]["name"]: c.get("data", {}) for c in objs if c["kind"] == "ConfigMap"}
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(cms.get(source.get("configMapRef", {}).get("name", ""), {}))
    return env


def mounted_secret(spec: dict, container: dict, path: str) -> str | None:
    """The Secret a file path of the container comes from, if any."""
    volumes = {v["name"]: v for v in spec["volumes"]}
    for m in container["volumeMounts"]:
        if path.startswith(m["mountPath"].rstrip("/") + "/"):
            return volumes[m["name"]].get("secret", {}).get("secretName")
    return None


def consoles(objs: tuple[dict, ...]) -> dict[str, dict]:
    return {
        d["metadata"]["name"]: d
        for d in objs
        if d["kind"] == "Deployment"
        and d["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/name") == "console"
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_console_component_calls_the_services_with_its_partys_certificate(overlay):
    target = f"{overlay}+console"
    (d,) = consoles(render(target)).values()
    spec = pod_spec(d)
    (app,) = spec["containers"]
    env = container_env(target, app)
    assert OIN_RE.fullmatch(env["ZORGTAFEL_CONSOLE_PARTY"])
    files = [env[f"ZORGTAFEL_CONSOLE_TLS_{n}_FILE"] for n in TLS_FILES]
    assert {mounted_secret(spec, app, f) for f in files} == {"console-client-tls"}
    names = {o["metadata"]["name"] for o in objects(target, "NetworkPolicy")}
    assert "allow-console-grpc-to-services" in names


def test_each_party_has_its_own_hardened_console():
    objs = example()
    found = consoles(objs)
    assert set(found) == {f"console-{p}" for p in PARTIES}
    errors = []
    for obj in objs:
        if "console" in obj["metadata"]["name"] and not is_custom_resource(obj):
            try:
                kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
            except kubernetes_validate.ValidationError as e:
                errors.append(f"{obj['metadata']['name']}: {e.message}")
    assert not errors, errors
    secrets_of: dict[str, set[str]] = {}
    for slug, oin in PARTIES.items():
        d = found[f"console-{slug}"]
        spec = pod_spec(d)
        (app,) = spec["containers"]
        problems = check_container(slug, app, spec["securityContext"], needs_probes=True)
        problems += restricted_violations(slug, spec, {})
        assert not problems, problems
        assert spec["automountServiceAccountToken"] is False
        assert spec["serviceAccountName"] == f"console-{slug}"
        env = env_of(objs, app)
        assert env["ZORGTAFEL_ENV"] == "production"
        assert env["ZORGTAFEL_CONSOLE_PARTY"] == oin
        assert slug in env["ZORGTAFEL_CONSOLE_OIDC_METADATA_URL"]  # the party's own IdP
        tls = {mounted_secret(spec, app, env[f"ZORGTAFEL_CONSOLE_TLS_{n}_FILE"]) for n in TLS_FILES}
        assert tls == {f"console-client-tls-{slug}"}
        secrets_of[slug] = {v["secret"]["secretName"] for v in spec["volumes"] if "secret" in v}
        assert all(s.endswith(f"-{slug}") for s in secrets_of[slug]), secrets_of[slug]
    assert not secrets_of["helmond"] & secrets_of["eindhoven"]  # nothing shared


def test_the_consoles_never_select_each_others_pods():
    objs = example()
    pods = {n: d["spec"]["template"]["metadata"]["labels"] for n, d in consoles(objs).items()}
    for obj in objs:
        name = obj["metadata"]["name"]
        if obj["kind"] == "Deployment" and name in pods:
            selector = obj["spec"]["selector"]
        elif obj["kind"] == "PodDisruptionBudget" and name in pods:
            selector = obj["spec"]["selector"]
        elif obj["kind"] == "Service" and name in pods:
            selector = {"matchLabels": obj["spec"]["selector"]}
        else:
            continue
        selected = {n for n, labels in pods.items() if selector_matches(selector, labels)}
        assert selected == {name}, (obj["kind"], name, selected)


def test_each_partys_console_secrets_come_from_the_secret_store():
    objs = example()
    external = {e["spec"]["target"]["name"]: e for e in objs if e["kind"] == "ExternalSecret"}
    for d in consoles(objs).values():
        for v in pod_spec(d)["volumes"]:
            if "secret" in v:
                spec = external[v["secret"]["secretName"]]["spec"]
                assert spec["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "zorgtafel"}
                assert spec["target"]["creationPolicy"] == "Owner"
                wanted = {i["key"] for i in v["secret"]["items"]}
                assert wanted == {d["secretKey"] for d in spec["data"]}
    errors = [
        f"{e['metadata']['name']}: {err.message}"
        for e in external.values()
        for err in crd_validator(crd_schema_file(e)).iter_errors(e)
    ]
    assert not errors, errors


def test_the_example_external_secrets_match_the_upstream_crd():
    external = [e for e in example() if e["kind"] == "ExternalSecret"]
    assert len(external) == 4 * len(PARTIES)  # client TLS, OIDC, secret key, sessions DB
    assert upstream_errors(external) == []


def test_the_example_adds_only_the_consoles_to_the_production_overlay():
    def key(o: dict) -> str:
        return json.dumps(o, sort_keys=True)

    added = {key(o) for o in example()} - {key(o) for o in render("production")}
    assert len(example()) - len(render("production")) == len(added)  # production unchanged
    for o in map(json.loads, added):
        assert "console" in o["metadata"]["name"], o["metadata"]["name"]
