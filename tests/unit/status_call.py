"""What the unit tests of the kernel's gRPC statuses share: a bare unary method over a real
socket (no interceptor, service or database) whose handler fails as a service's would, so a
test reads the status a caller is told, as a client library receives it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent import futures
from contextlib import contextmanager

import grpc

from zorgtafel.kernel.grpc_errors import to_status


@contextmanager
def status_call(errors: Mapping[bytes, Exception]) -> Iterator[grpc.UnaryUnaryMultiCallable]:
    """Serve ``/t.T/Call``: a request raises ``errors[request]`` and the call is aborted with
    the status ``to_status`` gives it, as the interceptor does; yields the method's callable."""

    def answer(request: bytes, context: grpc.ServicerContext) -> bytes:
        try:
            raise errors[request]  # as a handler's statement or commit would
        except Exception as exc:  # noqa: BLE001 - as the interceptor does
            context.abort_with_status(to_status(exc)[0])
        raise AssertionError("aborted")

    server = grpc.server(futures.ThreadPoolExecutor(2))
    handler = grpc.unary_unary_rpc_method_handler(answer)
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("t.T", {"Call": handler}),)
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield channel.unary_unary("/t.T/Call")
    finally:
        channel.close()
        server.stop(None)
