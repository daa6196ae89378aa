"""Disclosure's composition root: ``build(platform)`` makes the dependencies once and the
parts the kernel runs (the servicer, consumed facts, the access log's head and first
checkpoint, the hook that logs refused attempts)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

from sqlalchemy.exc import IntegrityError

from services.disclosure.adapters import orm
from services.disclosure.adapters.accesslog import (
    checkpoint_fields,
    group_log,
    load_signer,
    public_keys,
)
from services.disclosure.adapters.registers import ProcessingRegister
from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain.events import REGISTRY, AccessLogCheckpointed
from services.disclosure.entrypoints import proto_mapping
from services.disclosure.entrypoints.consumers import consumption
from services.disclosure.entrypoints.grpc_api import DisclosureServicer
from services.disclosure.service_layer.deps import Deps
from services.disclosure.service_layer.handlers import audit
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint
from zorgtafel.kernel.callcontext import RefusedCall
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.service import GrpcService, Platform, ServiceDefinition, ServiceParts
from zorgtafel.kernel.uow import UnitOfWork

__all__ = ["Deps", "build", "make_deps"]
log = get_logger(__name__)


class CheckpointPublisher:
    """Puts a signed checkpoint on the outbox (``ACCESS_LOG_CHECKPOINTED``) at most every
    ``interval_s``: every batch is signed, but governance needs only enough of them to pin
    the log down; the first one after a start always goes."""

    def __init__(self, interval_s: float) -> None:
        self._interval = interval_s
        self._last: float | None = None
        self._lock = threading.Lock()

    def __call__(self, uow: UnitOfWork, cp: Checkpoint) -> None:
        with self._lock:
            now = time.monotonic()
            if self._last is not None and now - self._last < self._interval:
                return
            self._last = now
        uow.emit(AccessLogCheckpointed(**checkpoint_fields(cp)))


def make_deps(platform: Platform) -> Deps:
    settings = platform.settings
    signer = load_signer(settings)
    if signer is None:
        if settings.production:
            raise RuntimeError(
                "the access log's signing key is missing (ZORGTAFEL_LOG_SIGNING_KEY_FILE)"
            )
        log.warning("access_log_unsigned", reason="no signing key file")
    publisher = CheckpointPublisher(float(settings.setting("log_checkpoint_publish_s", "5")))
    return Deps(
        policy=platform.policy,
        register=ProcessingRegister(),
        roster=platform.roster,
        access_log=group_log(platform.uow_factory, signer, publisher),
        log_keys=public_keys(settings, signer),
    )


def build(platform: Platform) -> ServiceParts:
    deps = make_deps(platform)
    # The kernel makes the definition's unit of work (``DisclosureUnitOfWork``).
    uow_factory = cast(Callable[[], DisclosureUnitOfWork], platform.uow_factory)
    servicer = DisclosureServicer(deps, uow_factory, Commands(uow_factory, proto_mapping.SERVICE))

    def start_access_log() -> None:
        try:
            with uow_factory() as uow:
                uow.access_log.ensure_head()
                uow.commit()
        except IntegrityError:
            pass  # another replica created the head first
        signer = deps.access_log.signer
        if signer is None:
            return
        # Records taken over by a migration (or written without a key) get their checkpoint,
        # and the newest checkpoint is published at every start.
        with uow_factory() as uow:
            cp = uow.access_log.sign_head(signer)
            if cp is not None:
                uow.emit(AccessLogCheckpointed(**checkpoint_fields(cp)))
            uow.commit()

    def on_refused(refused: RefusedCall) -> None:
        cmd = proto_mapping.refusal_in(refused)
        if cmd is None:
            return
        p = refused.principal
        caller = Caller(
            party=p.party,
            person=p.person,
            role=p.role,
            party_status=refused.party_status,
            authenticated_by=p.authenticated_by,
        )
        with uow_factory() as uow:
            audit.record_refusal(deps, uow, cmd, caller)

    return ServiceParts(
        grpc=(
            GrpcService(
                proto_mapping.SERVICE,
                disclosure_pb2_grpc.add_DisclosureServiceServicer_to_server,
                servicer,
            ),
        ),
        consumes=consumption(deps),
        on_start=(start_access_log,),
        on_refused=on_refused,
    )


# -- what the kernel runs -----------------------------------------------------------------------
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def definition() -> ServiceDefinition:
    orm.start_mappers()
    return ServiceDefinition(
        name="disclosure",
        metadata=orm.metadata,
        tables=orm.tables,
        versions_dir=VERSIONS,
        registry=REGISTRY,
        build=build,
        uow_class=DisclosureUnitOfWork,
    )
