"""Generate the Python gRPC code from ``proto/`` (the one proto source).

The generated modules are committed so that an installed wheel needs no build step, and
``tests/unit/test_protogen.py`` fails when they are stale. Run ``make proto`` after editing a
``.proto`` file.

They live under ``zorgtafel/generated/`` (``zorgtafel.generated.casework.v1``), apart from the
kernel and the services, so nobody mistakes them for hand-written code. protoc names Python
modules after the proto packages (``zorgtafel.casework.v1``), so the generated imports between
them are rewritten to that prefix.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROTO_ROOT = REPO / "proto"
PREFIX = "zorgtafel.generated"
_IMPORT = re.compile(r"^(from|import) zorgtafel\.(\w+)\.v1\b", re.MULTILINE)


def proto_files(root: Path = PROTO_ROOT) -> list[Path]:
    return sorted(root.rglob("*.proto"))


def generate(out: Path, root: Path = PROTO_ROOT) -> list[Path]:
    """Run protoc for every proto file; write the modules under ``out/zorgtafel/generated``
    with their imports rewritten; return the generated files."""
    from grpc_tools import protoc

    include = str(resources.files("grpc_tools") / "_proto")
    files = [str(p.relative_to(root)) for p in proto_files(root)]
    target = out / PREFIX.replace(".", "/")
    generated: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp)
        args = [
            "protoc",
            f"-I{root}",
            f"-I{include}",
            f"--python_out={raw}",
            f"--pyi_out={raw}",
            f"--grpc_python_out={raw}",
            *files,
        ]
        code = protoc.main(args)
        if code != 0:
            raise RuntimeError(f"protoc failed with exit code {code}")
        for proto in files:
            rel = Path(proto).parent.relative_to("zorgtafel")  # e.g. casework/v1
            package_dir = target / rel
            package_dir.mkdir(parents=True, exist_ok=True)
            # Generated packages need __init__.py so that setuptools ships them.
            d = package_dir
            while d != out / "zorgtafel" and d != out:
                init = d / "__init__.py"
                if not init.exists():
                    init.write_text("")
                d = d.parent
            stem = Path(proto).stem
            for name in (f"{stem}_pb2.py", f"{stem}_pb2.pyi", f"{stem}_pb2_grpc.py"):
                text = (raw / Path(proto).parent / name).read_text()
                (package_dir / name).write_text(_IMPORT.sub(rf"\1 {PREFIX}.\2.v1", text))
                generated.append(package_dir / name)
    return generated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO)
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(path.relative_to(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
