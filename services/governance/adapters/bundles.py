"""Reading an OPA bundle (.tar.gz with a ``.manifest``) well enough to know its revision.

Governance stores the bytes of adopted bundles as they are and serves them over OPA's bundle
service API; it only needs the revision the bundle declares, read defensively (a bundle is
caller input: size-, member- and type-checked, never extracted to disk).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

from zorgtafel.kernel.errors import InvalidArgument

MAX_BUNDLE_BYTES = 3 * 1024 * 1024
MAX_MEMBERS = 2000


def content_revision(files: list[tuple[str, bytes]]) -> str:
    """The content hash ``zorgtafel.policy.bundle.revision_of`` computes over a policy dir,
    recomputed over the bundle's own files (length-prefixed names and contents, sorted)."""
    digest = hashlib.sha256()
    for name, content in sorted(files):
        for part in (name.encode("utf-8"), content):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return "sha256:" + digest.hexdigest()


def bundle_revision(bundle: bytes) -> str:
    """The bundle's revision, after checking that its files hash to the revision its
    ``.manifest`` declares (so an adopted revision always means the same rules)."""
    if len(bundle) > MAX_BUNDLE_BYTES:
        raise InvalidArgument("bundle", f"larger than {MAX_BUNDLE_BYTES} bytes")
    try:
        with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as tar:
            members = tar.getmembers()
            if len(members) > MAX_MEMBERS:
                raise InvalidArgument("bundle", "too many files")
            manifest = next(
                (m for m in members if m.name in (".manifest", "/.manifest", "./.manifest")), None
            )
            if manifest is None or not manifest.isfile() or manifest.size > 64 * 1024:
                raise InvalidArgument("bundle", "no .manifest in the bundle")
            data = json.loads(tar.extractfile(manifest).read().decode("utf-8"))
            files, total = [], 0
            for m in members:
                if m is manifest or m.isdir():
                    continue
                if not m.isfile():
                    raise InvalidArgument("bundle", "only regular files are allowed")
                total += m.size
                if total > 4 * MAX_BUNDLE_BYTES:
                    raise InvalidArgument("bundle", "unpacks to too much data")
                files.append((m.name.lstrip("/"), tar.extractfile(m).read()))
    except InvalidArgument:
        raise
    except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidArgument("bundle", "not a gzipped tar OPA bundle") from exc
    revision = data.get("revision") if isinstance(data, dict) else None
    if not isinstance(revision, str) or not 0 < len(revision) <= 128:
        raise InvalidArgument("bundle", "the .manifest has no revision")
    if revision.startswith("sha256:") and content_revision(files) != revision:
        raise InvalidArgument(
            "bundle", "the files do not hash to the revision the .manifest declares"
        )
    if not revision.startswith("sha256:"):
        raise InvalidArgument("bundle", "the revision is not a sha256 content hash")
    return revision


def strict_check(bundle: bytes) -> None:
    """The strict policy check (zorgtafel/policy/check.py) of a well-formed bundle.

    OPA refuses a bundle that does not compile and keeps the old one: governance's readiness
    would then wait for a revision no sidecar ever reports. It costs about a second, so the
    handler runs it last, after the caller is authorised and the decision matches."""
    from zorgtafel.policy.check import BundleRefused, refuse_unless_clean

    try:
        refuse_unless_clean(bundle)
    except BundleRefused as exc:
        raise InvalidArgument("bundle", str(exc)[:1000]) from exc
