"""Casework use cases, one module per group. Commands are ``handler(deps, uow, cmd, caller)``:
they gather facts, ask Rego through the policy gate, obey, change the case and emit its facts;
they never commit (the kernel's idempotent command runner or the consumer commits the effect
with its bookkeeping). Queries have the same shape and change nothing.

The order of checks is always: the case exists (NOT_FOUND / purged), the caller may act on it
(PERMISSION_DENIED with the policy's reasons), the case's state allows it (FAILED_PRECONDITION
naming the state), then the request's details (INVALID_ARGUMENT naming the field).
"""
