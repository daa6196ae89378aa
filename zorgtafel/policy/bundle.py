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
from pathlib import Path
from typing import Any

from zorgtafel.policy import sources
from zorgtafel.policy.errors import PolicyError

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


# Written by whoever builds or signs a bundle, not part of its rules and data.
_ENVELOPE = (".manifest", ".signatures.json")


def revision_of(policy_dir: Path) -> str:
    return content_revision(_bundle_files(Path(policy_dir)))


def content_revision(files: list[tuple[str, bytes]]) -> str:
    """The hash of a bundle's rules and data (its ``.manifest`` and signature left out)."""
    digest = hashlib.sha256()
    for name, content in sorted(f for f in files if f[0] not in _ENVELOPE):
        # Length-prefixed name and content: no two different file sets hash alike.
        for part in (name.encode("utf-8"), content):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return "sha256:" + digest.hexdigest()


def pack(files: list[tuple[str, bytes]]) -> bytes:
    """A reproducible ``.tar.gz`` of ``files`` (names without a leading ``/``), in that order."""
    import tarfile  # here, not at the top: see read_files

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, content in files:
            info = tarfile.TarInfo(name.lstrip("/"))
            info.size = len(content)
            info.mtime = _MTIME
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(content))
    out = io.BytesIO()
    # gzip with mtime=0 and no file name: the header is the same on every build.
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=_MTIME, filename="") as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def build_bytes(policy_dir: Path) -> tuple[str, bytes]:
    """The OPA bundle (``.manifest`` + rules + data) of ``policy_dir`` and its revision."""
    policy_dir = Path(policy_dir)
    revision = revision_of(policy_dir)
    manifest = json.dumps({"revision": revision, "roots": ROOTS}, sort_keys=True).encode("utf-8")
    return revision, pack([(".manifest", manifest), *_bundle_files(policy_dir)])


def build_bundle(policy_dir: Path, out_path: Path) -> str:
    """Write an OPA bundle (``.manifest`` + rules + data) to ``out_path``; return its revision."""
    revision, data = build_bytes(policy_dir)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(data)
    return revision


# A bundle read from the network is input: bounded, regular files only, never extracted to disk.
MAX_BUNDLE_BYTES = 3 * 1024 * 1024
MAX_UNPACKED_BYTES = 4 * MAX_BUNDLE_BYTES
MAX_MEMBERS = 2000


def read_files(data: bytes) -> list[tuple[str, bytes]]:
    """A bundle's files as ``(name without leading "/", content)``; ``PolicyError`` if it is no
    bounded gzipped tar of regular files."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise PolicyError(f"bundle larger than {MAX_BUNDLE_BYTES} bytes")
    # Imported only where a bundle is packed or read (the policy tools; a service that loads its
    # policies from the bundle service): a service on the policy directory only hashes its
    # files, and tarfile cost every serving process ~0.5 MB of its 150 (issue #16).
    import tarfile

    files: list[tuple[str, bytes]] = []
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for count, member in enumerate(tar, start=1):
                if count > MAX_MEMBERS:
                    raise PolicyError("bundle has too many files")
                if member.isdir():
                    continue
                if not member.isfile():
                    raise PolicyError("bundle holds something that is not a regular file")
                total += member.size
                if total > MAX_UNPACKED_BYTES:
                    raise PolicyError("bundle unpacks to too much data")
                name = member.name.lstrip("/").removeprefix("./")
                if not name or ".." in name.split("/"):
                    raise PolicyError("bundle holds a file with an unsafe name")
                handle = tar.extractfile(member)
                files.append((name, handle.read() if handle else b""))
    except PolicyError:
        raise
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise PolicyError("not a gzipped tar OPA bundle") from exc
    names = [n for n, _ in files]
    if len(set(names)) != len(names):
        raise PolicyError("bundle holds a file twice")
    return files


def manifest_revision(files: list[tuple[str, bytes]]) -> str:
    """The revision a bundle's ``.manifest`` declares, once it is shown to be the revision of
    the bundle's own rules and data (``PolicyError`` otherwise). Governance adopts a revision by
    that hash and every engine reports the one it evaluates: a manifest declaring another, or
    saying more than ``build_bytes`` writes (other roots, a ``rego_version`` that reads the same
    rules another way), would let the same name stand for rules nobody adopted."""
    raw = dict(files).get(".manifest")
    try:
        manifest = json.loads(raw) if raw is not None else None
        revision = manifest.get("revision") if manifest is not None else None
    except (ValueError, AttributeError) as exc:
        raise PolicyError("the bundle's .manifest is not JSON") from exc
    if not isinstance(revision, str) or not revision:
        raise PolicyError("the bundle's .manifest has no revision")
    if manifest != {"revision": revision, "roots": ROOTS}:
        raise PolicyError("the bundle's .manifest says more than its revision and roots")
    if revision != content_revision(files):
        raise PolicyError(
            "the bundle's .manifest declares a revision its rules and data do not have"
        )
    return revision


def contents(files: list[tuple[str, bytes]]) -> tuple[list[sources.Module], dict[str, Any]]:
    """What OPA activates from a bundle: its Rego modules (tests left out) and its data, each
    ``data.json`` at the path of its directory (``zorgtafel/authz/data.json`` ->
    ``data.zorgtafel.authz``)."""
    modules: list[sources.Module] = []
    document: dict[str, Any] = {}
    for name, content in sorted(files):
        if name.endswith(".rego") and not sources.is_test_file(name):
            text = content.decode("utf-8")
            modules.append(sources.Module(name=name, package=sources.package_of(text), text=text))
        elif name.rsplit("/", 1)[-1] == "data.json":
            node = document
            for part in name.split("/")[:-1]:
                node = node.setdefault(part, {})
            try:
                node.update(json.loads(content))
            except (ValueError, TypeError) as exc:
                raise PolicyError(f"{name} is not a JSON object") from exc
    return modules, document
