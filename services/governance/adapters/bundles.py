"""Reading an OPA bundle (.tar.gz with a ``.manifest``) well enough to know its revision.

Governance stores the bytes of adopted bundles as they are and serves them over OPA's bundle
service API; it only needs the revision the bundle declares, read defensively (a bundle is
caller input: size-, member- and type-checked, never extracted to disk).
"""

from __future__ import annotations

import io
import json
import tarfile

from zorgtafel.kernel.errors import InvalidArgument

MAX_BUNDLE_BYTES = 3 * 1024 * 1024
MAX_MEMBERS = 2000


def bundle_revision(bundle: bytes) -> str:
    if len(bundle) > MAX_BUNDLE_BYTES:
        raise InvalidArgument("bundle", f"larger than {MAX_BUNDLE_BYTES} bytes")
    try:
        with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as tar:
            members = tar.getmembers()
            if len(members) > MAX_MEMBERS:
                raise InvalidArgument("bundle", "too many files")
            manifest = next((m for m in members
                             if m.name.lstrip("./") in (".manifest", "manifest")
                             or m.name in ("/.manifest", ".manifest", "./.manifest")), None)
            if manifest is None or not manifest.isfile() or manifest.size > 64 * 1024:
                raise InvalidArgument("bundle", "no .manifest in the bundle")
            data = json.loads(tar.extractfile(manifest).read().decode("utf-8"))
    except InvalidArgument:
        raise
    except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidArgument("bundle", "not a gzipped tar OPA bundle") from exc
    revision = data.get("revision") if isinstance(data, dict) else None
    if not isinstance(revision, str) or not 0 < len(revision) <= 128:
        raise InvalidArgument("bundle", "the .manifest has no revision")
    return revision
