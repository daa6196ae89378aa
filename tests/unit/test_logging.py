"""What the services log about a failure: where it happened, never what was in hand."""

from __future__ import annotations

import io
import json

from zorgtafel.kernel.logging import configure_logging, get_logger


def _fail_holding(name: str) -> None:
    date_of_birth = "2009-04-01"  # noqa: F841 - a local variable the log must not carry
    raise ValueError("refused")


def test_an_exception_is_logged_with_its_frames_but_without_their_local_variables():
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    try:
        try:
            _fail_holding("Zoë de Vries")
        except ValueError:
            get_logger("test").exception("handler_failed")
    finally:
        configure_logging("INFO")
    record = json.loads(stream.getvalue().strip().splitlines()[-1])
    frames = record["exception"][0]["frames"]
    assert any(frame["name"] == "_fail_holding" for frame in frames)
    assert "Zoë" not in stream.getvalue() and "2009-04-01" not in stream.getvalue()


def test_a_database_error_is_logged_by_the_drivers_class_and_code_never_its_message():
    import sqlite3

    import psycopg
    from sqlalchemy import exc as sa_exc

    from zorgtafel.kernel.logging import error_fields

    missing = sa_exc.ProgrammingError(
        "INSERT", {}, psycopg.errors.UndefinedTable('relation "access_log" does not exist')
    )
    assert error_fields(missing) == {
        "error_type": "ProgrammingError",
        "db_error": "UndefinedTable",
        "sqlstate": "42P01",
    }
    nul = sa_exc.DataError("INSERT", {}, psycopg.DataError("cannot contain NUL (0x00) bytes"))
    assert error_fields(nul) == {"error_type": "DataError", "db_error": "DataError"}
    lite = sqlite3.OperationalError("no such table: access_log")
    lite.sqlite_errorname = "SQLITE_ERROR"
    assert error_fields(sa_exc.OperationalError("INSERT", {}, lite))["sqlstate"] == "SQLITE_ERROR"
    assert error_fields(ValueError("x")) == {"error_type": "ValueError"}
