"""zorgtafel: the information exchange of De Zorgtafel regio Oost-Brabant.

This package is the one home for what every service shares (the platform kernel in
``zorgtafel.kernel``, the policy engines in ``zorgtafel.policy``, the CLI) and the Python code
generated from ``proto/`` (``zorgtafel.<service>.v1``).

Importing it loads one native library and nothing else: regopy (rego-cpp) bundles an allocator
that exports ``operator new/delete``; loaded after grpc (or anything else that loads
libstdc++), every policy query leaks about 1.4 MB. Every process of the suite (services, CLI,
tests, benchmarks) imports ``zorgtafel`` before grpc, so loading it here puts it first.
"""

import regopy  # noqa: F401  - load order, see above

__version__ = "0.1.0"
