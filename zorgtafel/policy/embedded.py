"""The embedded engine: the Rego files evaluated in-process by regopy (Microsoft rego-cpp).

One interpreter per policy package (``_Slot``), holding only the modules that package needs (its
own and those it refers to, e.g. lib/): rego-cpp compiles every module of an interpreter on each
query build, so small interpreters compile fast and take little memory. Every decision
entrypoint (one per input schema, see ``entrypoints``) is compiled at start, or those of the
``packages`` a service asks only; ``healthy()`` is true once that is done and until ``close()``. A package without a schema (a test's policy) gets
its interpreter on first use.

Thread safety: a regopy Interpreter holds the input as mutable state, so one interpreter must
never serve two decisions at once: a decision checks its package's slot out, uses it alone, and
returns it (``slots_per_package`` slots per package, default 1).

Timeout: regopy is synchronous and cannot be interrupted. A decision runs on a worker thread and
the caller waits at most ``timeout_s``; past that the caller gets ``PolicyUnavailable`` (fail
closed) while the stuck evaluation finishes in the background and its interpreter then goes
back to the pool. The GIL is released during the evaluation only (``rego_c``), so the waiting
caller is not blocked, and the short calls around it do not queue for the GIL one by one.

Production (``bundle_url``): no policy of its own; the bundle governance serves, loaded only
when its signature verifies with governance's public key (``signing``), compiled aside and
swapped in as a whole (``_Compiled``); a decision keeps the revision it started on. A bundle that
does not verify or compile is refused and the active revision stays, as OPA does.

Remembered answers: a package named in ``cached_packages`` (authz, asked on every call with the
same few inputs) keeps its answers by exact input text for the compiled revision only, unless
its rules read the clock, the network or chance (``decision_cache``). A hit is still a Decision
of its own; a new revision starts empty.

Evaluators (``evaluator``; ADR 0011): ``regopy`` (the default) or ``regorus`` (the Rust engine
the policy tests and the differential oracle already run: 5-12x faster here). A regorus engine is
bound to the thread that made it (pyo3 "unsendable"), so each evaluation thread builds its own
per package and revision, warmed at start like regopy's compiled queries. It keeps the GIL while
it evaluates, so a stuck evaluation cannot be left behind as regopy's can: the caller then waits
for it, and an answer that comes after ``timeout_s`` is refused (fail closed) on either engine.

Input: ``json.dumps(..., ensure_ascii=False)``. regopy does not decode ``\\u`` escapes in an
input term, so ASCII-escaped JSON would hand the rules "Zo\\u00eb" instead of "Zoë". That text
is what a decision is keyed and remembered by; rego-cpp gets its value built node by node
(``rego_input``: the same value, a third of the time of parsing it).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import queue
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit

import structlog

from zorgtafel.policy import bundle, rego_c, rego_input, sources
from zorgtafel.policy.decision_cache import DecisionCache, nondeterministic_builtins
from zorgtafel.policy.engine import BaseEngine, policy_path
from zorgtafel.policy.entrypoints import Entrypoint, entrypoints
from zorgtafel.policy.errors import PolicyError, PolicyUnavailable, rego_error_text

log = structlog.get_logger(__name__)

# The packages whose answers are remembered per revision (decision_cache): authz, asked on every
# call with the same few inputs per person and method. 1,024 answers: an authz input and its
# answer are ~0.4 KB of text (measured), a few KB at most (longer inputs are not kept).
CACHED_PACKAGES = ("zorgtafel.authz",)
DECISION_CACHE_SIZE = 1024

EVALUATORS = ("regopy", "regorus")
DEFAULT_EVALUATOR = "regopy"


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
        self.bundles: dict[str, tuple[Any, str]] = {}

    def compile(self, query: str) -> tuple[Any, str]:
        """The bundle of ``query`` (``data.<package>.<rule>``) built with the rule as its one
        entrypoint, and that entrypoint: asked by it, rego-cpp evaluates the rule without the
        query it would wrap around it (issue #16: 25 plan statements of a decision's 220)."""
        found = self.bundles.get(query)
        if found is None:
            entrypoint = rego_c.entrypoint_of(query)
            compiled = self.interpreter.build(None, [entrypoint])
            if not compiled.ok():
                raise PolicyUnavailable(f"query {query} does not compile")
            found = self.bundles[query] = (compiled, entrypoint)
        return found

    def run(self, query: str, input_json: str) -> tuple[bool, Any]:
        compiled, entrypoint = self.compile(query)
        rego_input.set_input(self.interpreter, input_json)
        return rego_c.query(self.interpreter, compiled, entrypoint)


class _RegorusPackage:
    """One package's modules and readable data for regorus. Its engines are bound to the thread
    that made them, so this holds the sources and each evaluation thread builds its own."""

    def __init__(self, modules: list[sources.Module], data_json: str):
        self.modules = modules
        self.data_json = data_json

    def build(self) -> Any:
        os.environ.setdefault("RUST_BACKTRACE", "0")  # the backtrace would bury the message
        import regorus

        engine = regorus.Engine()
        for module in self.modules:
            engine.add_policy(module.name, module.text)
        engine.add_data_json(self.data_json)
        return engine


class _Compiled:
    """One revision's modules and data, compiled: what the engine swaps as a whole."""

    def __init__(
        self,
        revision: str,
        modules: list[sources.Module],
        document: Mapping[str, Any],
        entrypoints: list[Entrypoint],
        slots_per_package: int,
        cached_packages: Iterable[str] = (),
        cache_size: int = 0,
        evaluator: str = DEFAULT_EVALUATOR,
    ):
        self.revision = revision
        self.modules = modules
        self.document = document
        self.slots_per_package = slots_per_package
        self.evaluator = evaluator
        self.slots: dict[str, queue.Queue[_Slot]] = {}
        self.packages: dict[str, _RegorusPackage] = {}
        self.queries: dict[str, list[str]] = {}
        self.lock = threading.Lock()
        # Remembered answers, for this revision only (see decision_cache): a package is cached
        # only when nothing in it or what it imports reads the clock, the network or chance.
        self.caches: dict[str, DecisionCache] = {}
        for package in cached_packages:
            reads = nondeterministic_builtins(sources.closure(self.modules, [package]))
            if reads:
                log.warning("policy_decision_cache_off", package=package, builtins=reads)
            elif cache_size > 0:
                self.caches[package] = DecisionCache(cache_size)
        # Compile every entrypoint now: a syntax error is a failure here, and no decision
        # compiles inside its timeout (a busy machine would turn that into a fail-closed deny).
        for package in dict.fromkeys(e.package for e in entrypoints):
            queries = [e.query for e in entrypoints if e.package == package]
            self.queries[package] = queries
            if evaluator == "regorus":
                # Parsed here once (a syntax error fails the revision); each evaluation thread
                # builds its own engines from these (``EmbeddedEngine._warm``).
                self.packages[package] = self.regorus_package(package)
                self.packages[package].build()
            else:
                self.slots[package] = self.new_slots(package, queries)
        if not entrypoints:  # no schemas (a test's policy dir): still refuse bad syntax
            if evaluator == "regorus":
                _RegorusPackage(self.modules, input_json(self.document)).build()
            else:
                _Slot(self.modules, input_json(self.document))

    def regorus_package(self, package: str) -> _RegorusPackage:
        found = self.packages.get(package)
        if found is None:
            modules = sources.closure(self.modules, [package])
            found = _RegorusPackage(
                modules, input_json(sources.readable_data(self.document, modules))
            )
            with self.lock:
                found = self.packages.setdefault(package, found)
        return found

    def new_slots(self, package: str, queries: list[str]) -> queue.Queue[_Slot]:
        modules = sources.closure(self.modules, [package])
        # Only the data its rules can read (the authz tables are 90% of the document).
        data_json = input_json(sources.readable_data(self.document, modules))
        slots: queue.Queue[_Slot] = queue.Queue()
        for _ in range(self.slots_per_package):
            slot = _Slot(modules, data_json)
            for query in queries:
                slot.compile(query)
            slots.put(slot)
        return slots

    def package_slots(self, package: str) -> queue.Queue[_Slot]:
        slots = self.slots.get(package)
        if slots is None:
            with self.lock:
                slots = self.slots.get(package)
                if slots is None:
                    slots = self.new_slots(package, [])
                    self.slots[package] = slots
        return slots


class EmbeddedEngine(BaseEngine):
    """The policy directory compiled at start; or, with ``bundle_url`` (production), no policy of
    its own: it loads the bundle governance serves, only when its signature verifies with
    ``verification_key_pem``, polling like an OPA sidecar (``BundlePoller``) and swapping the
    compiled revision as a whole; a bundle that does not verify or compile is refused and the
    active revision stays (``refused`` says why). Not healthy until a bundle is active."""

    def __init__(
        self,
        policy_dir: Path,
        data: Mapping[str, Any] | None = None,
        timeout_s: float = 0.5,
        workers: int | None = None,
        slots_per_package: int = 1,
        *,
        bundle_url: str | None = None,
        verification_key_pem: bytes | None = None,
        key_id: str = "",
        poll_interval_s: float = 10.0,
        packages: Iterable[str] | None = None,
        cached_packages: Iterable[str] = CACHED_PACKAGES,
        decision_cache_size: int = DECISION_CACHE_SIZE,
        evaluator: str = DEFAULT_EVALUATOR,
    ):
        if evaluator not in EVALUATORS:
            raise PolicyError(f"unknown evaluator {evaluator!r}: one of {', '.join(EVALUATORS)}")
        self.evaluator = evaluator
        # regorus keeps the GIL while it evaluates: a second thread would add no parallelism,
        # only a second set of engines and a colder cache (measured: p50 0.72 ms against 0.85
        # for the disclosure decision). regopy: two (below).
        if workers is None:
            workers = 1 if evaluator == "regorus" else 2
        self._workers = max(1, workers)
        # Each evaluation thread's regorus engines: {compiled revision: {package: engine}}.
        self._local = threading.local()
        self.policy_dir = Path(policy_dir)
        self._cached_packages = tuple(cached_packages)
        self._decision_cache_size = decision_cache_size
        # The packages whose entrypoints are compiled at start (None: every one). A service
        # names those it asks (issue #16: each package's interpreter costs 2-8 MB); any other
        # package gets its interpreter on first use, as a package without a schema does.
        self._packages = frozenset(packages) if packages is not None else None
        self.timeout_s = timeout_s
        self._data = data
        self._slots_per_package = max(1, slots_per_package)
        self._closed = False
        self._ready = False
        self._compiled: _Compiled | None = None
        self._swap_lock = threading.Lock()
        self.refused: list[str] = []  # why a bundle was not activated (no personal data)
        if bundle_url is not None and not verification_key_pem:
            raise PolicyError("an engine that loads bundles verifies them: give the public key")
        self._verification_key = verification_key_pem
        self._key_id = key_id
        try:
            self.entrypoints = entrypoints(self.policy_dir)
            if bundle_url is None:
                self._compiled = self._compile(
                    bundle.revision_of(self.policy_dir),
                    sources.modules(self.policy_dir),
                    sources.data_document(self.policy_dir),
                )
        except Exception as exc:
            raise PolicyError(
                f"policies in {self.policy_dir} do not compile: {rego_error_text(exc)}"
            ) from exc
        # Two evaluation threads by default: regopy releases the GIL, so two use both cores of
        # the machines this runs on, and each thread that evaluates keeps ~1.4 MB of its own in
        # rego-cpp's allocator (snmalloc's per-thread caches): four cost a service 7 MB where
        # two cost 4 (issue #16: 150 MB per service).
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self._workers, thread_name_prefix="rego"
        )
        if self._compiled is not None:
            try:
                self._warm(self._compiled)
            except BaseException:
                self._pool.shutdown(wait=False, cancel_futures=True)
                raise
        self._poller: BundlePoller | None = None
        if bundle_url is not None:
            self._poller = BundlePoller(bundle_url, self.load_bundle, poll_interval_s)
            self._poller.start()
        self._ready = True

    def _compile(
        self, revision: str, modules: list[sources.Module], data: Mapping[str, Any]
    ) -> _Compiled:
        document = sources.merge(data, self._data)  # runtime data beside the policy's own
        packages = {m.package for m in modules}
        if self._packages is not None:
            packages &= self._packages
        wanted = [e for e in self.entrypoints if e.package in packages]
        return _Compiled(
            revision,
            modules,
            document,
            wanted,
            self._slots_per_package,
            self._cached_packages,
            self._decision_cache_size,
            self.evaluator,
        )

    def _warm(self, compiled: _Compiled, timeout_s: float = 120.0) -> None:
        """regorus: every evaluation thread builds the revision's engines and asks each
        entrypoint once (an empty input; its answer does not matter), so no decision builds or
        warms inside its timeout. One task per thread, held at a barrier until every thread has
        one. A pool busy with decisions (a bundle swapped under load) breaks the barrier: the
        threads not reached then build on their first decision."""
        if compiled.evaluator != "regorus":
            return
        barrier = threading.Barrier(self._workers, timeout=timeout_s)

        def warm() -> None:
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
            for package, queries in compiled.queries.items():
                engine = self._regorus_engine(compiled, package)
                for query in queries:
                    engine.set_input_json("{}")
                    try:
                        engine.eval_rule(query)
                    except (KeyboardInterrupt, SystemExit):
                        raise
                    except BaseException:  # noqa: BLE001 - an empty input may make a rule fail
                        pass

        try:
            tasks = [self._pool.submit(warm) for _ in range(self._workers)]
        except RuntimeError:  # closed meanwhile: nothing to warm for
            return
        concurrent.futures.wait(tasks, timeout=timeout_s)
        for task in tasks:
            if task.done() and task.exception() is not None:
                raise PolicyError(f"policies do not load: {task.exception()}")

    def _regorus_engine(self, compiled: _Compiled, package: str) -> Any:
        """This thread's regorus engine for ``package`` under ``compiled``, built on first use;
        engines of revisions before the last two are dropped here, on the thread that owns them."""
        held: dict[_Compiled, dict[str, Any]] | None = getattr(self._local, "revisions", None)
        if held is None:
            held = self._local.revisions = {}
        engines = held.get(compiled)
        if engines is None:
            for old in list(held)[:-1]:
                del held[old]
            engines = held[compiled] = {}
        engine = engines.get(package)
        if engine is None:
            engine = engines[package] = compiled.regorus_package(package).build()
        return engine

    @property
    def revision(self) -> str:
        """The revision in force here (the content hash of its rules), "unknown" before any."""
        compiled = self._compiled
        return compiled.revision if compiled is not None else "unknown"

    @property
    def _slots(self) -> dict[str, queue.Queue[_Slot]]:
        compiled = self._compiled
        return compiled.slots if compiled is not None else {}

    def load_bundle(self, data: bytes) -> str:
        """Verify, compile and activate a bundle from governance; its revision. Raises
        ``PolicyError`` (``BundleSignatureError`` for a signature) and keeps the active one."""
        from zorgtafel.policy import signing

        try:
            files = signing.verify(data, self._verification_key or b"", self._key_id or None)
            revision = bundle.manifest_revision(files)
            modules, document = bundle.contents(files)
            compiled = self._compile(revision, modules, document)
            self._warm(compiled)
        except PolicyError as exc:
            self.refused.append(str(exc)[:300])
            raise
        except Exception as exc:  # noqa: BLE001 - a bundle that does not compile is refused
            self.refused.append(f"does not compile: {rego_error_text(exc, 300)}")
            raise PolicyError(f"the bundle does not compile: {rego_error_text(exc)}") from exc
        with self._swap_lock:
            self._compiled = compiled  # decisions already under way finish on the old one
        return revision

    def healthy(self) -> bool:
        """Every entrypoint compiled, a revision active and the engine not closed."""
        return self._ready and not self._closed and self._compiled is not None

    ready = healthy

    def _query(self, policy: str, rule: str, input: Mapping[str, Any]) -> tuple[bool, Any, str]:
        package = policy_path(policy).replace("/", ".")
        query = f"data.{package}.{rule}"
        text = input_json(input)
        compiled = self._compiled  # one revision for the whole decision, even mid-swap
        if compiled is None:
            raise PolicyUnavailable("no verified policy bundle is active yet")
        if self._closed:
            raise PolicyUnavailable("the embedded engine is closed")
        cache = compiled.caches.get(package)
        if cache is not None:
            answer = cache.get(query, text)
            if answer is not None:
                return answer[0], answer[1], compiled.revision
        started = time.monotonic()
        try:
            future = self._pool.submit(self._evaluate, compiled, package, query, text)
        except RuntimeError as exc:  # the pool was shut down
            raise PolicyUnavailable("the embedded engine is closed") from exc
        late = PolicyUnavailable(f"policy {policy} took longer than {self.timeout_s}s")
        try:
            defined, value = future.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError as exc:
            raise late from exc
        # An evaluation that kept the GIL (regorus) holds its caller past the deadline: its
        # answer came too late and is not obeyed.
        if time.monotonic() - started > self.timeout_s:
            raise late
        if cache is not None:
            cache.put(query, text, defined, value)
        return defined, value, compiled.revision

    def decision_caches(self) -> dict[str, DecisionCache]:
        """Every package's remembered answers under the revision in force (for /metrics)."""
        compiled = self._compiled
        return dict(compiled.caches) if compiled is not None else {}

    def decision_cache(self, policy: str) -> DecisionCache | None:
        """The remembered answers of ``policy`` under the revision in force (None: not cached)."""
        compiled = self._compiled
        if compiled is None:
            return None
        return compiled.caches.get(policy_path(policy).replace("/", "."))

    def _evaluate(
        self, compiled: _Compiled, package: str, query: str, text: str
    ) -> tuple[bool, Any]:
        if compiled.evaluator == "regorus":
            return self._evaluate_regorus(compiled, package, query, text)
        try:
            slots = compiled.package_slots(package)
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

    def _evaluate_regorus(
        self, compiled: _Compiled, package: str, query: str, text: str
    ) -> tuple[bool, Any]:
        from zorgtafel.policy.check import regorus_error

        try:
            engine = self._regorus_engine(compiled, package)
            engine.set_input_json(text)
            value = engine.eval_rule(query)
        except (KeyboardInterrupt, SystemExit):
            raise
        # BaseException: a Rust panic reaches Python as pyo3's PanicException, which is one.
        except BaseException as exc:  # noqa: BLE001 - any failure is a fail-closed unavailable
            raise PolicyUnavailable(f"evaluation failed: {regorus_error(exc, 500)}") from None
        return value is not None, value

    def _drop_engines(self, timeout_s: float = 5.0) -> None:
        """regorus: each evaluation thread drops its own engines (pyo3 refuses to drop one on
        another thread: it would leak it and say so when the engine is collected)."""
        if self.evaluator != "regorus":
            return
        barrier = threading.Barrier(self._workers, timeout=timeout_s)

        def drop() -> None:
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
            self._local.__dict__.clear()

        try:
            tasks = [self._pool.submit(drop) for _ in range(self._workers)]
        except RuntimeError:  # already shut down
            return
        concurrent.futures.wait(tasks, timeout=timeout_s)

    def close(self) -> None:
        self._closed = True
        if self._poller is not None:
            self._poller.stop()
        self._drop_engines()
        self._pool.shutdown(wait=False, cancel_futures=True)


class BundlePoller:
    """Polls a bundle service as OPA's bundle plugin does (``If-None-Match`` with the last ETag)
    and hands each new bundle to ``load``; a refused bundle is not fetched again until it
    changes. A failure is logged by kind only (a bundle is policy, never personal data)."""

    def __init__(self, url: str, load: Callable[[bytes], str], interval_s: float = 10.0):
        if urlsplit(url).scheme not in ("http", "https"):
            raise PolicyError(f"not a bundle service URL: {url!r}")
        self.url = url
        self._load = load
        self.interval_s = interval_s
        self._etag: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="policy-bundles", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll_once()
            self._stop.wait(self.interval_s)

    def poll_once(self) -> None:
        request = urllib.request.Request(self.url)
        if self._etag:
            request.add_header("If-None-Match", self._etag)
        try:
            # the configured bundle service (governance), http(s) only (checked above)
            with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310
                data, etag = (
                    response.read(bundle.MAX_BUNDLE_BYTES + 1),
                    response.headers.get("ETag"),
                )
        except urllib.error.HTTPError as exc:
            if exc.code != 304:
                log.warning("policy_bundle_unavailable", status=exc.code)
            return
        except OSError as exc:
            log.warning("policy_bundle_unavailable", error_type=type(exc).__name__)
            return
        try:
            revision = self._load(data)
        except PolicyError as exc:
            log.error("policy_bundle_refused", error_type=type(exc).__name__)
            self._etag = etag
            return
        self._etag = etag
        log.info("policy_bundle_activated", revision=revision)
