"""The embedded engine: the Rego files evaluated in-process by regopy (Microsoft rego-cpp).

One interpreter per policy package (``_Slot``), holding only the modules that package needs (its
own and those it refers to, e.g. lib/): rego-cpp compiles every module of an interpreter on each
query build, so small interpreters compile fast and take little memory. Every decision
entrypoint (one per input schema, see ``entrypoints``) is compiled at start; ``healthy()`` is
true once that is done and until ``close()``. A package without a schema (a test's policy) gets
its interpreter on first use.

Thread safety: a regopy Interpreter holds the input as mutable state, so one interpreter must
never serve two decisions at once: a decision checks its package's slot out, uses it alone, and
returns it (``slots_per_package`` slots per package, default 1).

Timeout: regopy is synchronous and cannot be interrupted. A decision runs on a worker thread and
the caller waits at most ``timeout_s``; past that the caller gets ``PolicyUnavailable`` (fail
closed) while the stuck evaluation finishes in the background and its interpreter then goes
back to the pool. ctypes releases the GIL during the call, so the waiting caller is not blocked.

Input: ``json.dumps(..., ensure_ascii=False)``. regopy does not decode ``\\u`` escapes in an
input term, so ASCII-escaped JSON would hand the rules "Zo\\u00eb" instead of "Zoë".
"""

from __future__ import annotations

import concurrent.futures
import json
import queue
import threading
from pathlib import Path
from typing import Any, Mapping

from zorgtafel.policy import bundle, sources
from zorgtafel.policy.engine import BaseEngine, policy_path
from zorgtafel.policy.entrypoints import entrypoints
from zorgtafel.policy.errors import PolicyError, PolicyUnavailable, rego_error_text


def input_json(value: Any) -> str:
    """The one way input reaches regopy: exact UTF-8 text, no NaN (``PolicyError`` if not JSON)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"input is not JSON: {exc}") from exc


class _Slot:
    """One interpreter with one package's modules and the bundles compiled on it (one per query)."""

    def __init__(self, modules: list[sources.Module], data_json: str):
        from regopy import Interpreter

        self.interpreter = Interpreter()
        for module in modules:
            self.interpreter.add_module(module.name, module.text)
        self.interpreter.add_data_json(data_json)
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
    revision: str  # the content hash of the policy directory, set once at start

    def __init__(
        self,
        policy_dir: Path,
        data: Mapping[str, Any] | None = None,
        timeout_s: float = 0.5,
        workers: int = 4,
        slots_per_package: int = 1,
    ):
        self.policy_dir = Path(policy_dir)
        self.timeout_s = timeout_s
        self.revision = bundle.revision_of(self.policy_dir)
        self._modules = sources.modules(self.policy_dir)
        self._data_json = json.dumps(
            sources.merge(sources.data_document(self.policy_dir), data), ensure_ascii=False
        )
        self._slots_per_package = max(1, slots_per_package)
        self._slots: dict[str, queue.Queue[_Slot]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._ready = False
        try:
            self.entrypoints = entrypoints(self.policy_dir)
            # Compile every entrypoint now: a syntax error is a startup failure, and no decision
            # compiles inside its timeout (a busy machine would turn that into a fail-closed deny).
            for package in dict.fromkeys(e.package for e in self.entrypoints):
                queries = [e.query for e in self.entrypoints if e.package == package]
                self._slots[package] = self._new_slots(package, queries)
            if not self.entrypoints:  # no schemas (a test's policy dir): still refuse bad syntax
                _Slot(self._modules, self._data_json)
        except Exception as exc:
            raise PolicyError(
                f"policies in {self.policy_dir} do not compile: {rego_error_text(exc)}"
            ) from exc
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="rego"
        )
        self._ready = True

    def _new_slots(self, package: str, queries: list[str]) -> queue.Queue[_Slot]:
        modules = sources.closure(self._modules, [package])
        slots: queue.Queue[_Slot] = queue.Queue()
        for _ in range(self._slots_per_package):
            slot = _Slot(modules, self._data_json)
            for query in queries:
                slot.compile(query)
            slots.put(slot)
        return slots

    def healthy(self) -> bool:
        """Every entrypoint compiled and the engine not closed (the service's readiness)."""
        return self._ready and not self._closed

    ready = healthy

    def _package_slots(self, package: str) -> queue.Queue[_Slot]:
        slots = self._slots.get(package)
        if slots is None:
            with self._lock:
                slots = self._slots.get(package)
                if slots is None:
                    slots = self._new_slots(package, [])
                    self._slots[package] = slots
        return slots

    def _query(self, policy: str, rule: str, input: Mapping[str, Any]) -> tuple[bool, Any, str]:
        package = policy_path(policy).replace("/", ".")
        query = f"data.{package}.{rule}"
        text = input_json(input)
        try:
            future = self._pool.submit(self._evaluate, package, query, text)
        except RuntimeError as exc:  # the pool was shut down
            raise PolicyUnavailable("the embedded engine is closed") from exc
        try:
            defined, value = future.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError as exc:
            raise PolicyUnavailable(f"policy {policy} took longer than {self.timeout_s}s") from exc
        return defined, value, self.revision

    def _evaluate(self, package: str, query: str, text: str) -> tuple[bool, Any]:
        try:
            slots = self._package_slots(package)
        except PolicyError:
            raise
        except Exception as exc:  # noqa: BLE001 - a package that does not compile is unavailable
            raise PolicyUnavailable(
                f"policy {package} does not compile: {rego_error_text(exc, 500)}"
            ) from exc
        slot = slots.get()
        try:
            return slot.run(query, text)
        except PolicyError:
            raise
        except Exception as exc:  # regopy raises RegoError; anything else is also a failure
            raise PolicyUnavailable(f"evaluation failed: {rego_error_text(exc, 500)}") from exc
        finally:
            slots.put(slot)

    def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
