"""The policy bundle: its content revision and a reproducible OPA bundle ``.tar.gz``.

The revision is a hash of the content, so the same rules give the same revision everywhere
(governance adopts a revision; engines report the one they evaluated). Tests are left out: they
do not change a decision.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

from zorgtafel.policy import sources

ROOTS = [sources.DATA_ROOT]

# Fixed metadata so that the same content gives the same bytes (a stable ETag for OPA polling).
_MTIME = 0


def _bundle_files(policy_dir: Path) -> list[tuple[str, bytes]]:
    files = [(m.name, m.text.encode("utf-8")) for m in sources.modules(policy_dir)]
    # Data files under their data path (``zorgtafel/authz/data.json``): OPA places a bundle's
    # data by its file name, and the manifest roots admit only ``data.zorgtafel``.
    files += [
        (sources.data_bundle_name(policy_dir, p), p.read_bytes())
        for p in sources.data_files(policy_dir)
    ]
    return sorted(files)


def revision_of(policy_dir: Path) -> str:
    digest = hashlib.sha256()
    for name, content in _bundle_files(Path(policy_dir)):
        # Length-prefixed name and content: no two different file sets hash alike.
        for part in (name.encode("utf-8"), content):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return "sha256:" + digest.hexdigest()


def build_bundle(policy_dir: Path, out_path: Path) -> str:
    """Write an OPA bundle (``.manifest`` + rules + data) to ``out_path``; return its revision."""
    policy_dir = Path(policy_dir)
    revision = revision_of(policy_dir)
    manifest = json.dumps({"revision": revision, "roots": ROOTS}, sort_keys=True).encode("utf-8")
    entries = [(".manifest", manifest)] + [
        ("/" + name, content) for name, content in _bundle_files(policy_dir)
    ]
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, content in entries:
            info = tarfile.TarInfo(name.lstrip("/"))
            info.size = len(content)
            info.mtime = _MTIME
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(content))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # gzip with mtime=0 and no file name: the header is the same on every build.
    with (
        open(out_path, "wb") as handle,
        gzip.GzipFile(fileobj=handle, mode="wb", mtime=_MTIME, filename="") as gz,
    ):
        gz.write(raw.getvalue())
    return revision
