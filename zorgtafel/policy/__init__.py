"""The policy layer: every "may this happen?" is answered by Rego in ``policies/rego``.

Import the names you need from the submodules (``engine``, ``decision``, ``factory``);
importing this package loads nothing and starts nothing.
"""
