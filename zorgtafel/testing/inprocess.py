"""A service's gRPC API served in this process without a broker: the kernel's interceptor
(authentication, ``zorgtafel.authz``, the call context) in front of the service's real
servicers, over a real socket, on a platform from ``handler_platform``. Facts from other
services are put in with ``deliver``, ``set_party_status`` and ``set_roster``. For tests that
call many RPCs as many callers (the authorisation matrix) where a broker would only add time;
nothing the service publishes leaves its outbox."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from typing import TYPE_CHECKING

import grpc

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.service import Platform, ServiceParts


@contextmanager
def served(platform: Platform, parts: ServiceParts) -> Iterator[grpc.Channel]:
    """Serve ``parts``' gRPC services behind the kernel's interceptor; yield a channel."""
    from zorgtafel.kernel.auth import Authenticator, TokenVerifier
    from zorgtafel.kernel.interceptors import ZorgtafelInterceptor

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
        on_refused=parts.on_refused,
        unknown_is_unavailable=parts.party_status is None,
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), interceptors=[interceptor])
    for service in parts.grpc:
        service.add_to_server(service.servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    chan = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield chan
    finally:
        chan.close()
        server.stop(grace=None)
