"""The benchmarks of ``make bench``.

``zorgtafel`` first: it loads regopy before anything loads grpc (libstdc++), or every policy
decision in a benchmark process leaks (regopy's bundled allocator, see zorgtafel/__init__.py):
measured here, a 12-thread disclosure run grew 1.1 GB in 60 s with grpc first, 2 MB without."""

import zorgtafel  # noqa: F401 - load order, see above
