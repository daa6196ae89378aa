"""zorgtafel: the information exchange of De Zorgtafel regio Oost-Brabant.

This package is the one home for what every service shares (the platform kernel in
``zorgtafel.kernel``, the policy engines in ``zorgtafel.policy``, the CLI) and the Python code
generated from ``proto/`` (``zorgtafel.<service>.v1``). Importing it has no side effects.
"""

__version__ = "0.1.0"
