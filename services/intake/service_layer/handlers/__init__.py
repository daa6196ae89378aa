"""Intake's use cases, one module per group: ``handler(deps, uow, cmd, caller)`` for commands
and queries, ``handler(deps, uow, event)`` for consumed facts. They gather facts, ask the policy
gate (criteria, invitations, access), apply the domain transition and emit events; they never
commit (the kernel's ``Commands`` commits the effect together with the stored response; the
kernel's consumer commits consumed events).

Log lines carry ids, codes and pseudonyms only."""
