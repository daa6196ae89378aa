"""Reading an OPA bundle (.tar.gz with a ``.manifest``) well enough to know its revision.

Governance stores the bytes of adopted bundles as they are and serves them over OPA's bundle
service API; it only needs the revision the bundle declares, read defensively (a bundle is
caller input: size-, member- and type-checked, never extracted to disk).
"""

from __future__ import annotations

from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.policy import bundle
from zorgtafel.policy.errors import PolicyError


def bundle_revision(data: bytes) -> str:
    """The bundle's revision, after checking that its files hash to the revision its
    ``.manifest`` declares and that the manifest says nothing more (so an adopted revision
    always means the same rules, read the same way): the engines' own check
    (``zorgtafel.policy.bundle``), as INVALID_ARGUMENT ``bundle``."""
    try:
        return bundle.manifest_revision(bundle.read_files(data))
    except PolicyError as exc:
        raise InvalidArgument("bundle", str(exc)) from exc


def strict_check(data: bytes) -> None:
    """The strict policy check (zorgtafel/policy/check.py) of a well-formed bundle.

    OPA refuses a bundle that does not compile and keeps the old one: governance's readiness
    would then wait for a revision no sidecar ever reports. It costs about a second, so the
    handler runs it last, after the caller is authorised and the decision matches."""
    from zorgtafel.policy.check import BundleRefused, refuse_unless_clean

    try:
        refuse_unless_clean(data)
    except BundleRefused as exc:
        raise InvalidArgument("bundle", str(exc)[:1000]) from exc
