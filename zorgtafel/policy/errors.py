"""The policy layer's exceptions.

``PolicyError`` is anything the policy layer cannot turn into a decision. ``PolicyUnavailable``
is the engine being down, too slow or answering garbage: the caller answers UNAVAILABLE (or uses
``decide_fail_closed`` and gets a deny). A *deny* is never an exception.
"""

from __future__ import annotations


class PolicyError(Exception):
    """The policy layer could not produce a decision."""


class PolicyUnavailable(PolicyError):
    """The engine timed out, is down, or answered something that is not a result."""


def rego_error_text(exc: BaseException, limit: int = 2000) -> str:
    """A short, readable form of a regopy error (its message is an S-expression dump)."""
    text = str(exc).strip()
    return text if len(text) <= limit else text[:limit] + " ..."
