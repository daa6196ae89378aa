"""The committed generated code must match the proto sources (nobody runs a hand step)."""

from __future__ import annotations

from zorgtafel import protogen


def test_generated_code_is_fresh(tmp_path):
    generated = protogen.generate(tmp_path)
    assert generated, "no proto files found"
    stale = [
        p.relative_to(tmp_path)
        for p in generated
        if not (protogen.REPO / p.relative_to(tmp_path)).exists()
        or (protogen.REPO / p.relative_to(tmp_path)).read_bytes() != p.read_bytes()
    ]
    assert not stale, f"run `make proto`: stale generated files {stale}"


def test_every_proto_has_the_package_of_its_directory():
    for path in protogen.proto_files():
        rel = path.relative_to(protogen.PROTO_ROOT).parent
        expected = ".".join(rel.parts)
        assert f"package {expected};" in path.read_text(), path
