"""Deployment checks (issue 9): render every kustomize overlay and check what would be applied.

* every object validates against the Kubernetes JSON schemas (kubernetes-validate, strict);
* Strimzi, CloudNativePG and Barman Cloud objects validate against the JSON Schema subsets in
  crd_schemas/ (only the fields we use, taken from the upstream CRDs; unknown fields fail);
* every workload is hardened (limits, requests, probes, non-root, read-only root FS, no privilege
  escalation, all capabilities dropped, seccomp) and wired (env file paths are mounted, every
  ConfigMap exists, every Secret is one the operations guide tells the operators to create);
* every namespace is default-deny; no Secret with literal data is rendered;
* only casework may call another service's gRPC port: disclosure's (pre-reads, 12.2f), at the
  address in its ZORGTAFEL_DISCLOSURE_ADDRESS;
* production: replicas >= 2, an HPA and a PDB per service, partner mTLS, adopted policies only;
* Kafka ACLs follow the who-writes/who-reads table of the architecture;
* the Dockerfile is multi-stage, pinned, non-root and without compilers in the final stage.

Needs kubectl (with its built-in kustomize); skipped with a reason when it is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read rendered manifests")
kubernetes_validate = pytest.importorskip(
    "kubernetes_validate", reason="kubernetes-validate is needed (pip install '.[test]')"
)
jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(
    p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").exists()
)
PRODUCTION_OVERLAYS = [o for o in OVERLAYS if o.startswith("production")]
CRD_SCHEMAS = Path(__file__).parent / "crd_schemas"
KUBERNETES_VERSION = "1.32"  # the oldest minor the guide supports; kubernetes-validate ships it
SERVICES = ("intake", "casework", "governance", "disclosure")
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet"}

# Kafka: who writes and who reads which topic (ARCHITECTURE.md / issue 9).
KAFKA_READS = {
    "intake": {"governance"},
    "casework": {"intake", "governance"},
    "governance": {"casework", "disclosure"},
    "disclosure": {"casework", "governance", "intake"},
}

KUBECTL = shutil.which("kubectl")


@lru_cache(maxsize=None)
def render(overlay: str) -> tuple[dict, ...]:
    if KUBECTL is None:
        pytest.skip("kubectl (with kustomize) is not installed: cannot render deploy/k8s")
    out = subprocess.run(
        [KUBECTL, "kustomize", str(K8S / "overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return tuple(d for d in yaml.safe_load_all(out) if d)


def objects(overlay: str, *kinds: str) -> list[dict]:
    return [d for d in render(overlay) if not kinds or d["kind"] in kinds]


def ident(obj: dict) -> str:
    return f"{obj['kind']}/{obj['metadata'].get('namespace', '-')}/{obj['metadata']['name']}"


def pod_spec(obj: dict) -> dict:
    if obj["kind"] == "Pod":
        return obj["spec"]
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def workloads(overlay: str) -> list[dict]:
    return objects(overlay, *WORKLOAD_KINDS)


def config_maps(overlay: str) -> dict[str, dict]:
    return {c["metadata"]["name"]: c.get("data", {}) for c in objects(overlay, "ConfigMap")}


def container_env(overlay: str, container: dict) -> dict[str, str]:
    """The container's effective literal environment: envFrom ConfigMaps, then env values."""
    cms = config_maps(overlay)
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(cms.get(source["configMapRef"]["name"], {}))
    for var in container.get("env", []):
        env[var["name"]] = var.get("value", "<from %s>" % sorted(var.get("valueFrom", {})))
    return env


def test_there_are_dev_and_production_overlays():
    assert "dev" in OVERLAYS and "production" in OVERLAYS, OVERLAYS


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_renders_the_four_services(overlay):
    names = {d["metadata"]["name"] for d in objects(overlay, "Deployment")}
    assert names == set(SERVICES)
    for kind in ("Service", "ServiceAccount", "ConfigMap", "PodDisruptionBudget"):
        assert set(SERVICES) <= {d["metadata"]["name"] for d in objects(overlay, kind)}, kind
    for obj in render(overlay):
        if obj["kind"] != "Namespace":
            assert obj["metadata"].get("namespace") == "zorgtafel", ident(obj)


# ---- schemas -------------------------------------------------------------------------------------


def crd_schema_file(obj: dict) -> Path:
    group, _, version = obj["apiVersion"].rpartition("/")
    return CRD_SCHEMAS / f"{group}_{version}_{obj['kind'].lower()}.json"


def is_custom_resource(obj: dict) -> bool:
    group = obj["apiVersion"].rpartition("/")[0]
    return "." in group and not group.endswith(".k8s.io")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_kubernetes_object_is_schema_valid(overlay):
    errors = []
    for obj in render(overlay):
        if is_custom_resource(obj):
            continue
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as e:
            errors.append(f"{ident(obj)}: {'.'.join(map(str, e.path))}: {e.message}")
        except kubernetes_validate.SchemaNotFoundError as e:
            errors.append(f"{ident(obj)}: {e.message}")
    assert not errors, "\n".join(errors)


@lru_cache(maxsize=None)
def crd_validator(path: Path):
    schema = json.loads(path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_custom_resource_matches_its_crd_subset(overlay):
    errors = []
    for obj in render(overlay):
        if not is_custom_resource(obj):
            continue
        path = crd_schema_file(obj)
        if not path.exists():
            errors.append(f"{ident(obj)}: no schema {path.name} in tests/deploy/crd_schemas")
            continue
        for e in crd_validator(path).iter_errors(obj):
            errors.append(f"{ident(obj)}: {'.'.join(map(str, e.path))}: {e.message}")
    assert not errors, "\n".join(errors)


def test_crd_subsets_reject_unknown_fields():
    """The subsets are strict: a misspelt field must not slip through."""
    validator = crd_validator(CRD_SCHEMAS / "kafka.strimzi.io_v1_kafkauser.json")
    user = next(u for u in objects("production", "KafkaUser"))
    assert validator.is_valid(user)
    bad = json.loads(json.dumps(user))
    bad["spec"]["authorization"]["acls"][0]["operation"] = "Write"  # removed in the v1 API
    assert not validator.is_valid(bad)


# ---- workload hardening --------------------------------------------------------------------------


def check_container(owner: str, c: dict, pod_sc: dict, *, needs_probes: bool) -> list[str]:
    where = f"{owner} container {c['name']}"
    problems = []
    res = c.get("resources", {})
    for part in ("requests", "limits"):
        for r in ("cpu", "memory"):
            if r not in res.get(part, {}):
                problems.append(f"{where}: no {part}.{r}")
    sc = c.get("securityContext", {})
    if not (sc.get("runAsNonRoot") or pod_sc.get("runAsNonRoot")):
        problems.append(f"{where}: runAsNonRoot not set")
    if sc.get("runAsUser", pod_sc.get("runAsUser")) == 0:
        problems.append(f"{where}: runs as UID 0")
    if sc.get("readOnlyRootFilesystem") is not True:
        problems.append(f"{where}: root filesystem is writable")
    if sc.get("allowPrivilegeEscalation") is not False:
        problems.append(f"{where}: allowPrivilegeEscalation is not false")
    if sc.get("privileged"):
        problems.append(f"{where}: privileged")
    if "ALL" not in sc.get("capabilities", {}).get("drop", []):
        problems.append(f"{where}: capabilities not dropped (ALL)")
    if sc.get("capabilities", {}).get("add"):
        problems.append(f"{where}: adds capabilities")
    seccomp = sc.get("seccompProfile", pod_sc.get("seccompProfile", {})).get("type")
    if seccomp not in ("RuntimeDefault", "Localhost"):
        problems.append(f"{where}: no seccomp profile")
    if needs_probes:
        for probe in ("livenessProbe", "readinessProbe"):
            if probe not in c:
                problems.append(f"{where}: no {probe}")
    image = c.get("image", "")
    if "@sha256:" not in image and (
        ":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest")
    ):
        problems.append(f"{where}: image {image!r} is not pinned to a version")
    return problems


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_is_hardened_and_bounded(overlay):
    problems = []
    assert workloads(overlay)
    for w in workloads(overlay):
        spec = pod_spec(w)
        pod_sc = spec.get("securityContext", {})
        is_job = w["kind"] in ("Job", "CronJob")
        for c in spec.get("containers", []):
            problems += check_container(ident(w), c, pod_sc, needs_probes=not is_job)
        for c in spec.get("initContainers", []):
            sidecar = c.get("restartPolicy") == "Always"  # native sidecars are probed too
            problems += check_container(ident(w), c, pod_sc, needs_probes=sidecar)
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{ident(w)}: service account token is mounted")
        if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
            problems.append(f"{ident(w)}: shares host namespaces")
        if any("hostPath" in v for v in spec.get("volumes", [])):
            problems.append(f"{ident(w)}: hostPath volume")
        if w["kind"] == "Deployment" and not spec.get("topologySpreadConstraints"):
            problems.append(f"{ident(w)}: no topologySpreadConstraints")
    for sa in objects(overlay, "ServiceAccount"):
        if sa.get("automountServiceAccountToken") is not False:
            problems.append(f"{ident(sa)}: automountServiceAccountToken is not false")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_services_run_migrations_first_and_serve_their_own_name(overlay):
    for d in objects(overlay, "Deployment"):
        name = d["metadata"]["name"]
        spec = pod_spec(d)
        app = next(c for c in spec["containers"] if c["name"] == "app")
        assert app["args"] == ["serve", name, "--no-migrate"]  # migrations: init container only
        migrate = [c for c in spec.get("initContainers", []) if c["name"] == "migrate"]
        assert migrate and migrate[0]["args"] == ["migrate", name], name
        assert migrate[0]["image"] == app["image"]
        ports = {p["containerPort"] for p in app["ports"]}
        assert {50051, 8080} <= ports
        env = container_env(overlay, app)
        assert env["ZORGTAFEL_DATABASE_SCHEMA"] == name
        assert env["ZORGTAFEL_GRPC_PORT"] == "50051" and env["ZORGTAFEL_HTTP_PORT"] == "8080"
        assert env["ZORGTAFEL_GRPC_HOST"] == "0.0.0.0"
        db_url = next(v for v in app["env"] if v["name"] == "ZORGTAFEL_DATABASE_URL")
        assert db_url["valueFrom"]["secretKeyRef"]["name"] == f"{name}-db"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_file_settings_point_into_mounted_volumes(overlay):
    """Every ZORGTAFEL_*FILE setting and the data dir must lie under a mount of that container."""
    problems = []
    for d in objects(overlay, "Deployment"):
        spec = pod_spec(d)
        volumes = {v["name"] for v in spec.get("volumes", [])}
        for c in spec["containers"] + spec.get("initContainers", []):
            mounts = c.get("volumeMounts", [])
            for m in mounts:
                if m["name"] not in volumes:
                    problems.append(f"{ident(d)}/{c['name']}: mount of unknown volume {m['name']}")
            if c["name"] != "app":
                continue
            env = container_env(overlay, c)
            paths = {
                k: v
                for k, v in env.items()
                if re.search(r"_(FILE|CAFILE|CERTFILE|KEYFILE|DIR)$", k)
            }
            paths.pop("ZORGTAFEL_POLICY_DIR", None)  # baked into the image
            for key, path in paths.items():
                if not any(
                    path == m["mountPath"] or path.startswith(m["mountPath"].rstrip("/") + "/")
                    for m in mounts
                ):
                    problems.append(f"{ident(d)}: {key}={path} is not under a volume mount")
    assert not problems, "\n".join(problems)


# Secrets the operators create (deploy/k8s/README.md, "Secrets"), or Strimzi / CloudNativePG create.
OPERATOR_SECRETS = (
    {f"{s}-db" for s in SERVICES}
    | {f"{s}-encryption-keys" for s in SERVICES}
    | {"zorgtafel-jwt", "zorgtafel-grpc-tls", "zorgtafel-db-ca", "zorgtafel-db-backup-s3"}
)
GENERATED_SECRETS = {f"zorgtafel-{s}" for s in SERVICES} | {"zorgtafel-cluster-ca-cert"}
OPERATOR_CONFIGMAPS = {"zorgtafel-partner-ca"}


def referenced(overlay: str) -> tuple[set[str], set[str]]:
    secrets, cms = set(), set()

    def walk(node):
        if isinstance(node, dict):
            if "secretKeyRef" in node:
                secrets.add(node["secretKeyRef"]["name"])
            if (
                "secret" in node
                and isinstance(node["secret"], dict)
                and "secretName" in node["secret"]
            ):
                secrets.add(node["secret"]["secretName"])
            if "passwordSecret" in node:
                secrets.add(node["passwordSecret"]["name"])
            for key in ("accessKeyId", "secretAccessKey"):
                if isinstance(node.get(key), dict):
                    secrets.add(node[key]["name"])
            if "configMapRef" in node:
                cms.add(node["configMapRef"]["name"])
            if "configMap" in node and isinstance(node["configMap"], dict):
                cms.add(node["configMap"]["name"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for obj in render(overlay):
        walk(obj.get("spec", {}))
    return secrets, cms


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_references_resolve_to_rendered_or_documented_objects(overlay):
    secrets, cms = referenced(overlay)
    assert secrets <= OPERATOR_SECRETS | GENERATED_SECRETS, (
        secrets - OPERATOR_SECRETS - GENERATED_SECRETS
    )
    missing = cms - set(config_maps(overlay)) - OPERATOR_CONFIGMAPS
    assert not missing, f"ConfigMaps referenced but neither rendered nor documented: {missing}"
    guide = (K8S / "README.md").read_text()
    undocumented = {
        s
        for s in (secrets & OPERATOR_SECRETS) | (cms & OPERATOR_CONFIGMAPS)
        if s.replace("intake", "<service>")
        .replace("casework", "<service>")
        .replace("governance", "<service>")
        .replace("disclosure", "<service>")
        not in guide
    }
    assert not undocumented, f"not described in deploy/k8s/README.md: {undocumented}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_secret_material_in_rendered_output(overlay):
    for obj in render(overlay):
        if obj["kind"] == "Secret":
            assert not obj.get("data") and not obj.get("stringData"), f"literal secret {ident(obj)}"
        text = yaml.safe_dump(obj)
        assert "PRIVATE KEY-----" not in text, ident(obj)
        assert not re.search(r"postgres(ql)?(\+\w+)?://[^:/\s]+:[^@\s<]+@", text), ident(obj)


# ---- network -------------------------------------------------------------------------------------


def is_default_deny(np: dict) -> bool:
    spec = np["spec"]
    return (
        spec.get("podSelector") == {}
        and {"Ingress", "Egress"} <= set(spec.get("policyTypes", []))
        and not spec.get("ingress")
        and not spec.get("egress")
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_namespace_denies_by_default(overlay):
    namespaces = {o["metadata"]["name"] for o in objects(overlay, "Namespace")}
    namespaces |= {
        o["metadata"]["namespace"] for o in render(overlay) if "namespace" in o["metadata"]
    }
    assert namespaces
    for ns in namespaces:
        assert any(
            is_default_deny(np)
            for np in objects(overlay, "NetworkPolicy")
            if np["metadata"].get("namespace") == ns
        ), f"no default-deny NetworkPolicy in {ns}"


def allowed_ports(overlay: str, direction: str, labels: dict) -> set[int]:
    ports = set()
    for np in objects(overlay, "NetworkPolicy"):
        sel = np["spec"]["podSelector"].get("matchLabels", {})
        if all(labels.get(k) == v for k, v in sel.items()):
            for rule in np["spec"].get(direction, []):
                ports |= {p["port"] for p in rule.get("ports", [])}
    return ports


# Egress ports every service pod needs: DNS, Kafka, PostgreSQL, governance's bundle endpoint.
# Casework also calls disclosure's gRPC port (pre-reads, covenant 12.2f); no other service does.
SERVICE_EGRESS_PORTS = {53, 9093, 5432, 8080}
EXTRA_EGRESS_PORTS = {"casework": {50051}}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_service_pods_reach_only_what_they_need(overlay):
    for d in objects(overlay, "Deployment"):
        name = d["metadata"]["name"]
        labels = d["spec"]["template"]["metadata"]["labels"]
        ingress = allowed_ports(overlay, "ingress", labels)
        egress = allowed_ports(overlay, "egress", labels)
        expected = SERVICE_EGRESS_PORTS | EXTRA_EGRESS_PORTS.get(name, set())
        assert 50051 in ingress and 8080 in ingress, (name, ingress)
        assert expected <= egress, (name, egress)
        assert egress <= expected, f"{name}: unexpected egress ports {egress - expected}"


def selector_matches(selector: dict, labels: dict) -> bool:
    """A label selector (matchLabels and matchExpressions); {} selects everything."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for e in selector.get("matchExpressions", []):
        key, op, values = e["key"], e["operator"], e.get("values", [])
        if (
            (op == "In" and labels.get(key) not in values)
            or (op == "NotIn" and key in labels and labels[key] in values)
            or (op == "Exists" and key not in labels)
            or (op == "DoesNotExist" and key in labels)
        ):
            return False
    return True


def namespace_labels(overlay: str, namespace: str) -> dict:
    found = [n for n in objects(overlay, "Namespace") if n["metadata"]["name"] == namespace]
    labels = dict(found[0]["metadata"].get("labels", {})) if found else {}
    labels["kubernetes.io/metadata.name"] = namespace  # set by the API server
    return labels


def rule_admits(
    overlay: str,
    policy: dict,
    rule: dict,
    peer_key: str,
    peer_labels: dict,
    peer_namespace: str,
    port: int,
    *,
    ip_blocks: bool,
) -> bool:
    """Whether one ingress ("from") or egress ("to") rule admits TCP `port` to/from the peer pod.
    An ipBlock counts as admitting the pod only when `ip_blocks` (pod IPs may fall in a CIDR)."""
    ports = rule.get("ports")
    if ports and not any(
        p.get("protocol", "TCP") == "TCP"
        and (
            "port" not in p
            or isinstance(p["port"], str)  # a named port: assume it may match
            or p["port"] <= port <= p.get("endPort", p["port"])
        )
        for p in ports
    ):
        return False
    peers = rule.get(peer_key)
    if not peers:
        return True  # no peers listed: every source / destination
    for peer in peers:
        if "ipBlock" in peer:
            if ip_blocks:
                return True
            continue
        if "namespaceSelector" in peer:
            ns_ok = selector_matches(
                peer["namespaceSelector"], namespace_labels(overlay, peer_namespace)
            )
        else:
            ns_ok = peer_namespace == policy["metadata"].get("namespace")
        if ns_ok and selector_matches(peer.get("podSelector", {}), peer_labels):
            return True
    return False


def policy_types(policy: dict) -> set[str]:
    spec = policy["spec"]
    return set(spec.get("policyTypes") or (["Ingress"] + (["Egress"] if "egress" in spec else [])))


def admits(
    overlay: str,
    direction: str,
    pod_labels: dict,
    peer_labels: dict,
    port: int,
    *,
    pod_namespace: str = "zorgtafel",
    peer_namespace: str = "zorgtafel",
    ip_blocks: bool,
) -> bool:
    """Whether the NetworkPolicies let the pod (in pod_namespace) receive ("ingress") from, or send
    ("egress") to, the peer pod on TCP `port`. A pod no policy isolates admits everything."""
    kind, key, peer_key = {
        "ingress": ("Ingress", "ingress", "from"),
        "egress": ("Egress", "egress", "to"),
    }[direction]
    isolating = [
        np
        for np in objects(overlay, "NetworkPolicy")
        if np["metadata"].get("namespace") == pod_namespace
        and kind in policy_types(np)
        and selector_matches(np["spec"]["podSelector"], pod_labels)
    ]
    if not isolating:
        return True
    return any(
        rule_admits(
            overlay, np, rule, peer_key, peer_labels, peer_namespace, port, ip_blocks=ip_blocks
        )
        for np in isolating
        for rule in np["spec"].get(key, [])
    )


def service_pod_labels(overlay: str) -> dict[str, dict]:
    return {
        d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"]
        for d in objects(overlay, "Deployment")
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_casework_is_told_where_disclosure_is(overlay):
    """casework's ZORGTAFEL_DISCLOSURE_ADDRESS is the disclosure Service's gRPC port, which leads
    to the port the disclosure app serves gRPC on; no other service gets the setting."""
    deployments = {d["metadata"]["name"]: d for d in objects(overlay, "Deployment")}
    for name, d in deployments.items():
        for c in pod_spec(d)["containers"] + pod_spec(d).get("initContainers", []):
            if name != "casework":
                assert "ZORGTAFEL_DISCLOSURE_ADDRESS" not in container_env(overlay, c), (
                    name,
                    c["name"],
                )
    app = next(c for c in pod_spec(deployments["casework"])["containers"] if c["name"] == "app")
    host, _, port = (
        container_env(overlay, app).get("ZORGTAFEL_DISCLOSURE_ADDRESS", "").rpartition(":")
    )
    services = {s["metadata"]["name"]: s for s in objects(overlay, "Service")}
    assert host in services and services[host]["spec"]["selector"] == {
        "app.kubernetes.io/name": "disclosure",
        "app.kubernetes.io/component": "service",
    }, host
    svc_port = next(p for p in services[host]["spec"]["ports"] if p["name"] == "grpc")
    assert port == str(svc_port["port"]), (port, svc_port)
    disclosure_app = next(
        c for c in pod_spec(deployments["disclosure"])["containers"] if c["name"] == "app"
    )
    container_port = next(
        p["containerPort"]
        for p in disclosure_app["ports"]
        if p.get("name") == svc_port["targetPort"] or p["containerPort"] == svc_port["targetPort"]
    )
    assert str(container_port) == container_env(overlay, disclosure_app)["ZORGTAFEL_GRPC_PORT"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_casework_reaches_disclosure_grpc(overlay):
    pods = service_pod_labels(overlay)
    casework, disclosure = pods["casework"], pods["disclosure"]
    # casework -> disclosure:50051 is allowed on both ends (by pod selectors, not by some ipBlock).
    assert admits(overlay, "egress", casework, disclosure, 50051, ip_blocks=False)
    assert admits(overlay, "ingress", disclosure, casework, 50051, ip_blocks=False)
    # No other pod of the namespace may call disclosure's gRPC port (counting ipBlocks as open).
    others = {n: labels for n, labels in pods.items() if n != "casework"}
    others["unlabelled pod"] = {}
    others["other zorgtafel pod"] = {"app.kubernetes.io/part-of": "zorgtafel"}
    for name, labels in others.items():
        assert not admits(overlay, "ingress", disclosure, labels, 50051, ip_blocks=True), name
    for name, labels in pods.items():
        if name != "casework":
            assert not admits(overlay, "egress", labels, disclosure, 50051, ip_blocks=True), name
    # casework gets no other service's gRPC port, and partners still reach disclosure.
    for name in ("intake", "governance"):
        assert not admits(overlay, "egress", casework, pods[name], 50051, ip_blocks=True), name
    assert admits(
        overlay, "ingress", disclosure, {}, 50051, peer_namespace="ingress-nginx", ip_blocks=False
    )


# ---- production ----------------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", PRODUCTION_OVERLAYS)
def test_production_is_redundant_and_autoscaled(overlay):
    deployments = objects(overlay, "Deployment")
    hpas = {
        h["spec"]["scaleTargetRef"]["name"]: h for h in objects(overlay, "HorizontalPodAutoscaler")
    }
    pdbs = objects(overlay, "PodDisruptionBudget")
    for d in deployments:
        name = d["metadata"]["name"]
        assert d["spec"].get("replicas", 1) >= 2, name
        assert name in hpas and hpas[name]["spec"]["minReplicas"] >= 2, name
        pod_labels = d["spec"]["template"]["metadata"]["labels"]
        covering = [
            p
            for p in pdbs
            if all(pod_labels.get(k) == v for k, v in p["spec"]["selector"]["matchLabels"].items())
        ]
        assert covering, f"no PodDisruptionBudget for {name}"
        assert all(
            p["spec"].get("minAvailable", 0) >= 1 or p["spec"].get("maxUnavailable") == 1
            for p in covering
        )


@pytest.mark.parametrize("overlay", PRODUCTION_OVERLAYS)
def test_production_uses_mtls_and_adopted_policies_via_opa(overlay):
    for d in objects(overlay, "Deployment"):
        spec = pod_spec(d)
        app = next(c for c in spec["containers"] if c["name"] == "app")
        env = container_env(overlay, app)
        assert env["ZORGTAFEL_AUTH_MODE"] == "mtls"
        assert env["ZORGTAFEL_PRODUCTION"] == "true"
        for key in (
            "ZORGTAFEL_TLS_CERT_FILE",
            "ZORGTAFEL_TLS_KEY_FILE",
            "ZORGTAFEL_TLS_CLIENT_CA_FILE",
            "ZORGTAFEL_JWT_PUBLIC_KEY_FILE",
            "ZORGTAFEL_ENCRYPTION_KEYS_FILE",
        ):
            assert env.get(key, "").startswith("/"), (d["metadata"]["name"], key)
        assert env["ZORGTAFEL_KAFKA_SECURITY_PROTOCOL"] == "SSL"
        assert env["ZORGTAFEL_POLICY_ENGINE"] == "opa"
        assert env["ZORGTAFEL_OPA_URL"] == "http://127.0.0.1:8181"
        opa = next(c for c in spec["containers"] if c["name"] == "opa")
        assert re.match(
            r"^openpolicyagent/opa:1\.\d+\.\d+(-static)?(@sha256:[0-9a-f]{64})?$", opa["image"]
        )
        assert "--addr=127.0.0.1:8181" in opa["args"], (
            "OPA's policy API must not listen on the pod network"
        )
        assert "bundles" in opa["readinessProbe"]["httpGet"]["path"]
        config_volume = next(v for v in spec["volumes"] if v["name"] == "opa-config")
        config = yaml.safe_load(
            config_maps(overlay)[config_volume["configMap"]["name"]]["config.yaml"]
        )
        bundle = config["bundles"]["zorgtafel"]
        assert (
            bundle["service"] == "governance" and bundle["resource"] == "/bundles/zorgtafel.tar.gz"
        )
        url = next(e["value"] for e in opa["env"] if e["name"] == "BUNDLE_SERVICE_URL")
        expected = (
            "http://127.0.0.1:8080"
            if d["metadata"]["name"] == "governance"
            else "http://governance:8080"
        )
        assert url == expected


def test_dev_uses_development_tokens_and_one_replica():
    for d in objects("dev", "Deployment"):
        assert d["spec"]["replicas"] == 1
        app = next(c for c in pod_spec(d)["containers"] if c["name"] == "app")
        env = container_env("dev", app)
        assert env["ZORGTAFEL_AUTH_MODE"] == "dev" and env["ZORGTAFEL_PRODUCTION"] == "false"
    assert not objects("dev", "HorizontalPodAutoscaler")


# ---- Kafka and PostgreSQL ------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kafka_topics_users_and_acls_follow_the_architecture(overlay):
    topics = {t["spec"]["topicName"] for t in objects(overlay, "KafkaTopic")}
    assert topics == {f"zorgtafel.{s}.v1" for s in SERVICES}
    users = {u["metadata"]["name"]: u for u in objects(overlay, "KafkaUser")}
    assert set(users) == {f"zorgtafel-{s}" for s in SERVICES}
    for service, reads in KAFKA_READS.items():
        user = users[f"zorgtafel-{service}"]
        assert user["spec"]["authentication"]["type"] == "tls"
        grants: dict[tuple[str, str], set[str]] = {}
        for acl in user["spec"]["authorization"]["acls"]:
            assert acl.get("type", "allow") == "allow"
            assert acl["resource"].get("patternType", "literal") == "literal"
            key = (acl["resource"]["type"], acl["resource"]["name"])
            grants.setdefault(key, set()).update(acl["operations"])
        expected = {
            ("topic", f"zorgtafel.{service}.v1"): {"Write", "Describe"},
            ("group", f"zorgtafel-{service}"): {"Read"},
        }
        expected.update({("topic", f"zorgtafel.{r}.v1"): {"Read", "Describe"} for r in reads})
        assert grants == expected, service
    kafka = objects(overlay, "Kafka")[0]
    listeners = kafka["spec"]["kafka"]["listeners"]
    assert all(lst["tls"] and lst["authentication"]["type"] == "tls" for lst in listeners)
    assert kafka["spec"]["kafka"]["authorization"]["type"] == "simple"


@pytest.mark.parametrize("overlay", [o for o in OVERLAYS if "external" not in o])
def test_cloudnativepg_has_a_database_and_role_per_service(overlay):
    cluster = objects(overlay, "Cluster")[0]
    roles = {r["name"]: r for r in cluster["spec"]["managed"]["roles"]}
    assert set(roles) == set(SERVICES)
    assert all(
        r["passwordSecret"]["name"] == f"{n}-db" and not r.get("superuser")
        for n, r in roles.items()
    )
    dbs = {d["spec"]["name"]: d["spec"] for d in objects(overlay, "Database")}
    assert set(dbs) == set(SERVICES)
    assert all(d["owner"] == n and d["databaseReclaimPolicy"] == "retain" for n, d in dbs.items())
    assert cluster["spec"].get("enableSuperuserAccess") is False
    if overlay.startswith("production"):
        assert cluster["spec"]["instances"] >= 3
        assert objects(overlay, "ScheduledBackup"), "production database without scheduled backups"
        assert any(p.get("isWALArchiver") for p in cluster["spec"].get("plugins", []))


# ---- image ---------------------------------------------------------------------------------------


def dockerfile_stages() -> list[list[str]]:
    lines, current = [], ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        current += line[:-1] + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            lines.append(current)
            current = ""
    stages: list[list[str]] = []
    preamble = []
    for line in lines:
        if line.upper().startswith("FROM "):
            stages.append([line])
        elif stages:
            stages[-1].append(line)
        else:
            preamble.append(line)
    return [preamble] + stages


def test_dockerfile_is_multistage_pinned_and_non_root():
    preamble, *stages = dockerfile_stages()
    assert len(stages) >= 2, "multi-stage build expected"
    args = dict(re.findall(r"^ARG (\w+)=(\S+)", "\n".join(preamble), re.M))
    for stage in stages:
        image = stage[0].split()[1]
        image = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), image)
        if image in {s[0].split()[-1] for s in stages if " AS " in s[0].upper()}:
            continue  # FROM an earlier stage
        assert re.match(r"^[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$", image), (
            f"base image {image!r} must be pinned to a full version (not latest)"
        )
        assert ":latest" not in image
    final = stages[-1]
    users = [line.split()[1] for line in final if line.upper().startswith("USER ")]
    assert users, "final stage has no USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "final stage must run as a numeric non-root UID"
    final_text = "\n".join(final).lower()
    for tool in ("gcc", "g++", "build-essential", "clang", "make ", "cargo", "rustc", "-dev "):
        assert tool not in final_text, f"build tool {tool.strip()!r} in the final stage"
    assert any(line.upper().startswith("COPY --FROM=") for line in final), (
        "final stage should copy the build"
    )
    assert "ZORGTAFEL_POLICY_DIR=/app/policies/rego" in "\n".join(final)
    entry = " ".join(line for line in final if line.upper().startswith("ENTRYPOINT"))
    assert "zorgtafel" in entry


def test_dockerignore_keeps_the_context_small():
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert "*" in ignore, "expected an allow-list .dockerignore"
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert {"pyproject.toml", "zorgtafel", "services", "policies/rego"} <= allowed
    assert not allowed & {".git", ".venv", "tests", "deploy"}
