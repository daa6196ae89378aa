"""The embedded engine: the Rego files evaluated in-process by regopy (Microsoft rego-cpp).

Thread safety: a regopy Interpreter holds the input as mutable state, so one interpreter must
never serve two decisions at once. The engine keeps a small pool of interpreters, each with its
own compiled bundles; a decision checks one out, uses it alone, and returns it.

Timeout: regopy is synchronous and cannot be interrupted. A decision runs on a worker thread and
the caller waits at most ``timeout_s``; past that the caller gets ``PolicyUnavailable`` (fail
closed) while the stuck evaluation finishes in the background and its interpreter then goes
back to the pool. ctypes releases the GIL during the call, so the waiting caller is not blocked.
"""

from __future__ import annotations

import concurrent.futures
import json
import queue
from pathlib import Path
from typing import Any, Mapping

from zorgtafel.policy import bundle, sources
from zorgtafel.policy.engine import BaseEngine, policy_path
from zorgtafel.policy.errors import PolicyError, PolicyUnavailable, rego_error_text


class _Slot:
    """One interpreter and the bundles compiled on it (one per query)."""

    def __init__(self, modules: list[sources.Module], data: Mapping[str, Any]):
        from regopy import Interpreter

        self.interpreter = Interpreter()
        for module in modules:
            self.interpreter.add_module(module.name, module.text)
        self.interpreter.add_data_json(json.dumps(data))
        self.bundles: dict[str, Any] = {}

    def compile(self, query: str) -> Any:
        compiled = self.bundles.get(query)
        if compiled is None:
            compiled = self.interpreter.build(query)
            if not compiled.ok():
                raise PolicyUnavailable(f"query {query} does not compile")
            self.bundles[query] = compiled
        return compiled

    def run(self, query: str, input_json: str) -> tuple[bool, Any]:
        compiled = self.compile(query)
        self.interpreter.set_input_term(input_json)
        output = self.interpreter.query_bundle(compiled)
        if not output.ok():
            raise PolicyUnavailable(f"evaluation error: {str(output).strip()[:500]}")
        values = [r.expressions[0] for r in output.results if r.expressions]
        if not values:
            return False, None
        if len(values) > 1:
            raise PolicyUnavailable("the policy gave more than one result")
        return True, values[0]


class EmbeddedEngine(BaseEngine):
    WARM_QUERIES = ("data.zorgtafel.authz.decision",)
    revision: str  # the content hash of the policy directory, set once at start

    def __init__(
        self,
        policy_dir: Path,
        data: Mapping[str, Any] | None = None,
        timeout_s: float = 0.5,
        workers: int = 4,
    ):
        self.policy_dir = Path(policy_dir)
        self.timeout_s = timeout_s
        self.revision = bundle.revision_of(self.policy_dir)
        self._modules = sources.modules(self.policy_dir)
        self._data = sources.merge(sources.data_document(self.policy_dir), data)
        self._slots: queue.Queue[_Slot] = queue.Queue()
        try:
            # Compile every slot now: a syntax error is a startup failure, not a first-call one.
            for _ in range(workers):
                slot = _Slot(self._modules, self._data)
                # Every RPC asks authz: compile it now on every slot, so a burst of first calls
                # does not queue behind compilations and trip the fail-closed timeout.
                for query in self.WARM_QUERIES:
                    slot.compile(query)
                self._slots.put(slot)
        except Exception as exc:
            raise PolicyError(
                f"policies in {self.policy_dir} do not compile: {rego_error_text(exc)}"
            ) from exc
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="rego"
        )

    def _query(self, policy: str, rule: str, input: Mapping[str, Any]) -> tuple[bool, Any, str]:
        query = f"data.{policy_path(policy).replace('/', '.')}.{rule}"
        try:
            input_json = json.dumps(input, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise PolicyError(f"input is not JSON: {exc}") from exc
        try:
            future = self._pool.submit(self._evaluate, query, input_json)
        except RuntimeError as exc:  # the pool was shut down
            raise PolicyUnavailable("the embedded engine is closed") from exc
        try:
            defined, value = future.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError as exc:
            raise PolicyUnavailable(f"policy {policy} took longer than {self.timeout_s}s") from exc
        return defined, value, self.revision

    def _evaluate(self, query: str, input_json: str) -> tuple[bool, Any]:
        slot = self._slots.get()
        try:
            return slot.run(query, input_json)
        except PolicyError:
            raise
        except Exception as exc:  # regopy raises RegoError; anything else is also a failure
            raise PolicyUnavailable(f"evaluation failed: {rego_error_text(exc, 500)}") from exc
        finally:
            self._slots.put(slot)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
