"""Generate the Python gRPC code from ``proto/`` (the one proto source).

The generated modules are committed so that an installed wheel needs no build step, and
``tests/unit/test_protogen.py`` fails when they are stale. Run ``make proto`` after editing a
``.proto`` file.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROTO_ROOT = REPO / "proto"


def proto_files(root: Path = PROTO_ROOT) -> list[Path]:
    return sorted(root.rglob("*.proto"))


def generate(out: Path, root: Path = PROTO_ROOT) -> list[Path]:
    """Run protoc for every proto file into ``out``; return the generated files."""
    from grpc_tools import protoc

    include = str(resources.files("grpc_tools") / "_proto")
    files = [str(p.relative_to(root)) for p in proto_files(root)]
    args = [
        "protoc",
        f"-I{root}",
        f"-I{include}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *files,
    ]
    code = protoc.main(args)
    if code != 0:
        raise RuntimeError(f"protoc failed with exit code {code}")
    generated: list[Path] = []
    for proto in files:
        package_dir = out / Path(proto).parent
        # Generated packages need __init__.py so that setuptools ships them.
        d = package_dir
        while d != out / "zorgtafel" and d != out:
            init = d / "__init__.py"
            if not init.exists():
                init.write_text("")
            d = d.parent
        stem = Path(proto).stem
        generated += [
            package_dir / f"{stem}_pb2.py",
            package_dir / f"{stem}_pb2.pyi",
            package_dir / f"{stem}_pb2_grpc.py",
        ]
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
