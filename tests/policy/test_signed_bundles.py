"""Signed policy bundles (issue #17, supply chain) and engines that follow an adoption without a
restart (issue #18, point 2).

- ``signing`` writes and checks OPA's bundle signature format: a ``.signatures.json`` with one
  ES256 JWT over every file's digest, structured files hashed as OPA hashes them;
- the embedded engine in production loads only governance's bundles whose signature verifies,
  swaps the revision without a restart, and keeps the active one when a bundle is refused;
- the OPA client learns the sidecar's revision independently of decisions (readiness compares
  it with the adopted one, and an unready pod gets no decisions)."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from grpc_health.v1 import health

from zorgtafel.kernel.health import HealthMonitor
from zorgtafel.policy import bundle, signing
from zorgtafel.policy.embedded import EmbeddedEngine
from zorgtafel.policy.errors import PolicyError, PolicyUnavailable
from zorgtafel.policy.opa import OpaEngine
from zorgtafel.testing import wait_for

KEY = signing.generate_private_key_pem()
PUBLIC = signing.public_key_pem(KEY)
PROBE = {
    "method": "/grpc.health.v1.Health/Check",
    "principal": {
        "party": "00000000000000000000",
        "person": "probe",
        "role": "probe",
        "authenticated_by": "dev_token",
        "party_status": "unknown",
    },
    "resource": {},
}


@pytest.fixture(scope="module")
def baseline(policy_dir):
    return bundle.build_bytes(policy_dir)


@pytest.fixture(scope="module")
def changed(policy_dir, tmp_path_factory):
    """Another revision of the same rules (one comment more)."""
    directory = tmp_path_factory.mktemp("changed") / "rego"
    shutil.copytree(policy_dir, directory)
    authz = directory / "authz" / "authz.rego"
    authz.write_text(authz.read_text(encoding="utf-8") + "\n# another revision\n")
    return bundle.build_bytes(directory)


def _why(call) -> str:
    with pytest.raises(signing.BundleSignatureError) as err:
        call()
    return str(err.value)


# -- the signature format ----------------------------------------------------------------------


def test_a_signed_bundle_verifies_with_governance_s_key_and_nothing_else(baseline):
    revision, data = baseline
    signed = signing.sign(data, KEY)
    files = signing.verify(signed, PUBLIC, signing.DEFAULT_KEY_ID)
    assert files == bundle.read_files(data)  # the signature adds one file, nothing else
    assert bundle.manifest_revision(files) == revision
    (token,) = json.loads(dict(bundle.read_files(signed))[".signatures.json"])["signatures"]
    import jwt

    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256" and header["kid"] == "zorgtafel-governance"
    listed = {f["name"] for f in jwt.decode(token, options={"verify_signature": False})["files"]}
    assert listed == {name for name, _ in files} and ".manifest" in listed

    other = signing.public_key_pem(signing.generate_private_key_pem())
    assert "does not verify" in _why(lambda: signing.verify(signed, other))
    assert "not signed" in _why(lambda: signing.verify(data, PUBLIC))
    assert "another key id" in _why(lambda: signing.verify(signed, PUBLIC, "someone-else"))


def test_a_file_changed_added_or_removed_after_signing_is_refused(baseline):
    _, data = baseline
    signed = bundle.read_files(signing.sign(data, KEY))
    rego = next(n for n, _ in signed if n.endswith(".rego"))
    altered = [(n, c + b"\n# x" if n == rego else c) for n, c in signed]
    assert "digest mismatch" in _why(lambda: signing.verify(bundle.pack(altered), PUBLIC))
    added = [*signed, ("zorgtafel/extra.rego", b"package zorgtafel.extra\n")]
    assert "not included" in _why(lambda: signing.verify(bundle.pack(added), PUBLIC))
    removed = [(n, c) for n, c in signed if n != rego]
    assert "does not have" in _why(lambda: signing.verify(bundle.pack(removed), PUBLIC))


def test_one_jwt_and_no_scope_as_opa_requires(baseline):
    import jwt

    _, data = baseline
    signed = bundle.read_files(signing.sign(data, KEY))
    doc = json.loads(dict(signed)[".signatures.json"])
    two = [(n, json.dumps({"signatures": doc["signatures"] * 2}).encode()) if n == ".signatures.json" else (n, c) for n, c in signed]  # fmt: skip
    assert "exactly one" in _why(lambda: signing.verify(bundle.pack(two), PUBLIC))
    claims = jwt.decode(doc["signatures"][0], options={"verify_signature": False})
    scoped = jwt.encode({**claims, "scope": "write"}, KEY, algorithm="ES256")
    with_scope = [(n, json.dumps({"signatures": [scoped]}).encode()) if n == ".signatures.json" else (n, c) for n, c in signed]  # fmt: skip
    assert "scope" in _why(lambda: signing.verify(bundle.pack(with_scope), PUBLIC))


def test_structured_files_are_hashed_as_opa_hashes_them():
    """OPA hashes data.json and .manifest as Go's json.Marshal of the parsed document (keys
    sorted, no spaces, numbers as written, no HTML escaping): layout does not change a digest."""
    pretty = b'{\n  "b": 1.50, "a": [true, null, "<\xc3\xab>"],\n  "c": {"y": 1e3, "x": "\\n"}\n}\n'
    canonical = '{"a":[true,null,"<ë>"],"b":1.50,"c":{"x":"\\n","y":1e3}}'.encode()
    expected = hashlib.sha256(canonical).hexdigest()
    assert signing.file_digest("zorgtafel/authz/data.json", pretty) == expected
    assert signing.file_digest(".manifest", pretty) == expected
    # Rego (and anything else) is hashed as its bytes.
    assert signing.file_digest("authz/authz.rego", pretty) == hashlib.sha256(pretty).hexdigest()


# -- the embedded engine in production ---------------------------------------------------------


def following(policy_dir, evaluator: str, service: "BundleService") -> EmbeddedEngine:  # noqa: ANN001
    """An engine as production runs it: only governance's signed bundles, polled often."""
    return EmbeddedEngine(
        policy_dir,
        evaluator=evaluator,
        timeout_s=10.0,
        bundle_url=service.url,
        verification_key_pem=PUBLIC,
        key_id=signing.DEFAULT_KEY_ID,
        poll_interval_s=0.1,
    )


class BundleService:
    """Governance's bundle endpoint as the engines see it: ETag, 304, the bundle in force."""

    def __init__(self) -> None:
        self.body = b""
        served = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                etag = f'"{hashlib.sha256(served.body).hexdigest()}"'
                if not served.body:
                    self.send_response(404)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(served.body)))
                self.end_headers()
                self.wfile.write(served.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/bundles/zorgtafel.tar.gz"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("evaluator", ["regopy", "regorus"])
def test_the_embedded_engine_in_production_enforces_only_governance_s_signed_bundles(
    policy_dir, baseline, changed, evaluator
):
    service = BundleService()
    engine = following(policy_dir, evaluator, service)
    try:
        # Nothing served yet: no policy of its own, not healthy, every decision unavailable.
        assert engine.healthy() is False and engine.revision == "unknown"
        with pytest.raises(PolicyUnavailable):
            engine.decide("zorgtafel.authz", PROBE)
        service.body = signing.sign(baseline[1], KEY)
        wait_for(engine.healthy, timeout=60)
        assert engine.revision == baseline[0]
        assert engine.decide("zorgtafel.authz", PROBE).revision == baseline[0]

        # Signed by someone else, or not signed: refused, the active revision stays.
        for body in (signing.sign(changed[1], signing.generate_private_key_pem()), changed[1]):
            refused = len(engine.refused)
            service.body = body
            wait_for(lambda n=refused: len(engine.refused) > n, timeout=60)
            assert engine.revision == baseline[0] and engine.healthy()

        # The next adoption, signed by governance: activated without a restart.
        service.body = signing.sign(changed[1], KEY)
        wait_for(lambda: engine.revision == changed[0], timeout=60)
        assert engine.decide("zorgtafel.authz", PROBE).revision == changed[0]
    finally:
        engine.close()
        service.close()


def test_an_engine_that_loads_bundles_will_not_run_without_the_key(policy_dir):
    from zorgtafel.policy.errors import PolicyError
    from zorgtafel.policy.factory import engine_from_settings

    url = "http://127.0.0.1:9/bundles/zorgtafel.tar.gz"
    with pytest.raises(PolicyError):
        EmbeddedEngine(policy_dir, bundle_url=url)
    with pytest.raises(PolicyError, match="VERIFICATION_KEY_FILE"):
        engine_from_settings("embedded", policy_dir, "", 1.0, bundle_url=url)


# -- the OPA client and readiness follow an adoption -------------------------------------------


def test_the_opa_client_learns_the_sidecar_s_revision_without_a_decision(policy_dir, changed):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from opa_double import OpaDouble, RegorusPolicy

    service = BundleService()
    with OpaDouble(bundle_url=service.url, public_key_pem=PUBLIC, poll_interval_s=0.05) as sidecar:
        engine = OpaEngine(sidecar.url, timeout_s=2.0, health_ttl_s=0, revision_ttl_s=0)
        monitor = HealthMonitor(
            {"database": lambda: True, "broker": lambda: True, "policy": engine.healthy},
            health.HealthServicer(),
            [],
        )
        monitor.report_revision(lambda: engine.revision)
        try:
            # No bundle yet: OPA's /health?bundles is not 200, the revision is unknown.
            state = monitor.check_now()
            assert state.failing == ("policy",) and state.policy_revision == "unknown"
            baseline = bundle.build_bytes(policy_dir)
            service.body = signing.sign(baseline[1], KEY)
            wait_for(lambda: monitor.check_now().ready, timeout=60)
            assert monitor.state.policy_revision == baseline[0]
            service.body = signing.sign(changed[1], KEY)
            wait_for(lambda: monitor.check_now().policy_revision == changed[0], timeout=60)
            assert monitor.state.ready
            assert not any(r.startswith("POST") for r in sidecar.requests)  # no decision asked
            assert isinstance(sidecar.engine, RegorusPolicy)
        finally:
            engine.close()
            service.close()


def _with_manifest(data: bytes, manifest: dict) -> bytes:
    files = [(n, c) for n, c in bundle.read_files(data) if n != ".manifest"]
    return bundle.pack([(".manifest", json.dumps(manifest).encode("utf-8")), *files])


def test_a_manifest_must_declare_the_revision_of_the_bundles_own_rules(baseline, changed):
    """Governance adopts a revision by the hash of its rules and data, and engines report the
    one they evaluate: a bundle (even one governance signed) whose manifest names another
    revision, or reads the same rules another way, is refused."""
    revision, data = baseline
    assert bundle.manifest_revision(bundle.read_files(data)) == revision
    roots = bundle.ROOTS
    for manifest, words in (
        ({"revision": changed[0], "roots": roots}, "declares a revision"),
        ({"revision": revision, "roots": roots, "rego_version": 0}, "says more"),
        ({"revision": revision, "roots": [""]}, "says more"),
    ):
        signed = signing.sign(_with_manifest(data, manifest), KEY)
        files = signing.verify(signed, PUBLIC, signing.DEFAULT_KEY_ID)
        with pytest.raises(PolicyError, match=words):
            bundle.manifest_revision(files)


@pytest.mark.parametrize("evaluator", ["regopy", "regorus"])
def test_the_embedded_engine_refuses_a_signed_bundle_naming_another_revision(
    policy_dir, baseline, changed, evaluator
):
    service = BundleService()
    engine = following(policy_dir, evaluator, service)
    try:
        service.body = signing.sign(baseline[1], KEY)
        wait_for(engine.healthy, timeout=60)
        # The changed rules under the adopted revision's name: refused, the active one stays.
        service.body = signing.sign(
            _with_manifest(changed[1], {"revision": baseline[0], "roots": bundle.ROOTS}), KEY
        )
        wait_for(lambda: len(engine.refused) > 0, timeout=60)
        assert "declares a revision" in engine.refused[-1]
        assert engine.revision == baseline[0]
    finally:
        engine.close()
        service.close()
