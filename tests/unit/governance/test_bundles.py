"""Reading an OPA bundle's revision (art. 6.6c, 11.3a: only adopted revisions are served)."""

from __future__ import annotations

import gzip
import io
import tarfile

import pytest

from services.governance.adapters.bundles import bundle_revision
from zorgtafel.kernel.config import DEFAULT_POLICY_DIR
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.policy.bundle import build_bundle, read_files, revision_of


def test_bundle_revision_is_the_one_build_bundle_wrote(tmp_path):
    out = tmp_path / "b.tar.gz"
    rev = build_bundle(DEFAULT_POLICY_DIR, out)
    assert bundle_revision(out.read_bytes()) == rev == revision_of(DEFAULT_POLICY_DIR)


def _tgz(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a tarball",
        _tgz({"x.rego": b"package x"}),
        _tgz({".manifest": b"{not json"}),
        _tgz({".manifest": b'{"roots": []}'}),
    ],
)
def test_something_that_is_not_a_bundle_is_invalid_argument(data):
    with pytest.raises(InvalidArgument) as err:
        bundle_revision(data)
    assert err.value.violations[0][0] == "bundle"


def test_bundle_whose_files_do_not_match_its_revision_is_refused(tmp_path):
    out = tmp_path / "b.tar.gz"
    rev = build_bundle(DEFAULT_POLICY_DIR, out)
    forged = _tgz(
        {
            ".manifest": ('{"revision": "%s", "roots": ["zorgtafel"]}' % rev).encode(),
            "authz/authz.rego": b'package zorgtafel.authz\ndecision := {"allow": true}',
        }
    )
    with pytest.raises(InvalidArgument) as err:
        bundle_revision(forged)
    assert "declares a revision" in err.value.message


def test_a_manifest_saying_more_than_revision_and_roots_is_refused(tmp_path):
    """A ``rego_version`` or other roots would read the adopted rules another way under the
    same revision: governance refuses such a proposal as every engine refuses such a bundle."""
    out = tmp_path / "b.tar.gz"
    rev = build_bundle(DEFAULT_POLICY_DIR, out)
    files = {n: c for n, c in read_files(out.read_bytes())}
    files[".manifest"] = (
        '{"revision": "%s", "roots": ["zorgtafel"], "rego_version": 0}' % rev
    ).encode()
    with pytest.raises(InvalidArgument) as err:
        bundle_revision(_tgz(files))
    assert "says more" in err.value.message
