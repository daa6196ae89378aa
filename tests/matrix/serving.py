"""A service served in this process as the kernel serves it (``zorgtafel.kernel.bootstrap``),
without a broker: its own gRPC services (``ServiceParts.grpc``, with the subject data export
where it serves one) and the kernel's ``AccessLogService`` that every service serves, behind
the kernel's interceptor with the access log on (every declared read, the kernel's included, and
every call the authz policy refuses is a record), so that the matrix asks the access log what
the calls before it really left there.

``zorgtafel.testing.served`` serves ``parts.grpc`` alone with the log off; the matrix needs
both kernel services and the records, so it builds the same things bootstrap does. Keep the two
in step: ``KERNEL_READS`` and ``access_log_service`` are bootstrap's.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager

import grpc

from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc
from zorgtafel.kernel.accesslog import servicer as accesslog_servicer
from zorgtafel.kernel.service import GrpcService, Platform, ServiceParts
from zorgtafel.kernel.subjectdata import servicer as subjectdata_servicer

# bootstrap: "The kernel's own services ... are logged reads in every service."
KERNEL_READS = accesslog_servicer.READS | subjectdata_servicer.READS


def access_log_service(platform: Platform) -> GrpcService:
    """bootstrap: "Every service serves its own access log (the same servicer in all four)"."""
    return GrpcService(
        accesslog_servicer.SERVICE,
        accesslog_pb2_grpc.add_AccessLogServiceServicer_to_server,
        accesslog_servicer.AccessLogServicer(
            platform.settings.service,
            platform.uow_factory,
            platform.policy,
            platform.access_log.keys,
        ),
    )


@contextmanager
def served(platform: Platform, parts: ServiceParts) -> Iterator[tuple[grpc.Channel, list[str]]]:
    """Serve the service as bootstrap does; yield a channel and the full names of the gRPC
    services served (what the matrix enumerates)."""
    from zorgtafel.kernel.auth import Authenticator, TokenVerifier
    from zorgtafel.kernel.interceptors import ZorgtafelInterceptor
    from zorgtafel.kernel.refusals import RefusalBudget
    from zorgtafel.kernel.streams import StreamSlots

    settings = platform.settings
    verifier = TokenVerifier.from_file(
        settings.effective_jwt_public_key_file,
        settings.jwt_issuer,
        settings.jwt_audience,
        max_lifetime_s=settings.jwt_max_lifetime_s,
    )
    interceptor = ZorgtafelInterceptor(
        Authenticator(verifier, "dev"),
        platform.policy,
        parts.party_status or platform.party_status,
        on_refused=parts.on_refused or platform.access_log.refused_call,
        unknown_is_unavailable=parts.party_status is None,
        access_log=platform.access_log,
        reads=parts.reads | KERNEL_READS,
        refusals=RefusalBudget.from_settings(settings),
        streams=StreamSlots.from_settings(settings),
    )
    services = (*parts.grpc, access_log_service(platform))
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), interceptors=[interceptor])
    for service in services:
        service.add_to_server(service.servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    chan = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield chan, [s.name for s in services]
    finally:
        chan.close()
        server.stop(grace=None)
