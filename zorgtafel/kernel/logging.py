"""JSON structured logs (structlog).

Log lines carry identifiers (party OIN, method, decision id, case id, pseudonyms) and never
personal data or item content: request bodies are never logged, and ``redact_sensitive`` drops
any key that names a sensitive field should a caller pass one by mistake.
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol, TextIO, cast

import structlog
import structlog.tracebacks
from structlog.typing import EventDict, FilteringBoundLogger, WrappedLogger

SENSITIVE_KEYS = frozenset(
    {
        "content",
        "name",
        "subject_name",
        "date_of_birth",
        "birth_date",
        "bsn",
        "address",
        "identity",
        "justification",
        "notes",
        "minutes",
        "request",
        "body",
        "password",
        "token",
    }
)


class TextSink(Protocol):
    """Where log lines go: a text stream, or anything that writes and flushes text."""

    def write(self, s: str, /) -> int: ...

    def flush(self) -> None: ...


def redact_sensitive(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    for key in list(event_dict):
        if key in SENSITIVE_KEYS:
            event_dict[key] = "[redacted]"
    return event_dict


def configure_logging(level: str = "INFO", stream: TextSink | None = None) -> None:
    """Configure structlog once per process (called by the composition root, not at import)."""
    logging.basicConfig(
        format="%(message)s",
        stream=stream,
        level=getattr(logging, level.upper(), logging.INFO),
        force=True,
    )
    # kafka-python is chatty at INFO and logs broker addresses only; keep its warnings.
    logging.getLogger("kafka").setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_sensitive,
            # Frames without their local variables: structlog's default (dict_tracebacks) writes
            # every frame's locals, and a handler's locals hold names, dates of birth, content.
            _EXCEPTION_FRAMES,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            getattr(logging, level.upper(), logging.INFO)
        ),
        # Without an explicit stream, look sys.stderr up for every logger: a test runner (or a
        # daemon manager) may have replaced it since the configuration.
        # (WriteLogger only writes and flushes: any TextSink serves as its file.)
        logger_factory=(
            structlog.WriteLoggerFactory(file=cast(TextIO, stream))
            if stream is not None
            else lambda *args: structlog.WriteLogger(sys.stderr)
        ),
        cache_logger_on_first_use=False,
    )


_EXCEPTION_FRAMES = structlog.processors.ExceptionRenderer(
    structlog.tracebacks.ExceptionDictTransformer(show_locals=False, use_rich=False)
)


def get_logger(name: str) -> FilteringBoundLogger:
    logger: FilteringBoundLogger = structlog.get_logger(name)
    return logger


def error_fields(exc: BaseException) -> dict[str, str]:
    """What a log line says of an error: its class, and for a database's error (SQLAlchemy's,
    wrapping the driver's as ``orig``) the driver's own class and code (PostgreSQL's SQLSTATE,
    SQLite's error name), so that a ProgrammingError tells a missing table (UndefinedTable,
    42P01) from a value the database refused. Never the message: it may quote a value."""
    fields = {"error_type": type(exc).__name__}
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException):
        fields["db_error"] = type(orig).__name__
        code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
        if isinstance(code, str) and code:
            fields["sqlstate"] = code
    return fields
