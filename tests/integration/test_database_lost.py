"""A database connection lost in the middle of a command (the server restarted, a failover,
an administrator ending the backend) is a dependency missing, not the service failing: the
caller is told UNAVAILABLE, to ask again with the same request_id, and asked again the command
is carried out once. Staged on a real PostgreSQL by ending the command's own backend."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from tests.unit.test_kernel_exactly_once import _Req
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.commands import execute_once
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.testing.handlers import handler_platform

pytestmark = pytest.mark.integration


def test_a_command_whose_connection_is_lost_is_unavailable_and_once_when_asked_again(
    tmp_path, pg_url
):
    with handler_platform("governance", tmp_path, pg_url) as (platform, _parts):
        request = _Req("req-lost-0001", b"body")
        applied = []

        def ended_midway(uow):  # noqa: ANN001, ANN202
            pid = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with platform.uow_factory() as other:
                other.session.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            uow.session.execute(text("SELECT 1"))  # the server has closed this connection
            raise AssertionError("the statement after the backend ended must fail")

        def carried_out(uow):  # noqa: ANN001, ANN202
            applied.append(1)
            return pb.GetPartyResponse()

        def run(effect):  # noqa: ANN001, ANN202
            return execute_once(
                platform.uow_factory,
                party="00000099000000000001",
                method="/m",
                request=request,
                response_type=pb.GetPartyResponse,
                effect=effect,
            )

        with pytest.raises(Unavailable) as told:
            run(ended_midway)
        assert "retry" in told.value.message
        run(carried_out)
        run(carried_out)  # a repeat: answered as stored
        assert applied == [1]
        with platform.uow_factory() as uow:
            results = uow.tables["command_results"]
            assert uow.session.execute(select(func.count()).select_from(results)).scalar() == 1
