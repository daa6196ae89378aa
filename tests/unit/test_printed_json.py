"""A command's JSON read back among the log lines of services in the same process."""

from __future__ import annotations

import pytest

from zorgtafel.testing.cli import printed_json

LOG = '2026-12-03 09:53:12 [info     ] event_ignored   event_id=42ef\n{"event": "event_applied"}\n'


def test_the_document_is_found_before_between_and_after_log_lines():
    export = '[\n {\n  "size": 3\n }\n]\n'
    out = LOG + export + LOG
    assert printed_json(out, lambda v: isinstance(v, list)) == [{"size": 3}]
    report = '{"intact": true, "records": 3}\n'
    assert printed_json(LOG + report + LOG, lambda v: "intact" in v) == {
        "intact": True,
        "records": 3,
    }


def test_no_wanted_document_is_an_error_that_does_not_repeat_the_output():
    with pytest.raises(ValueError, match="no such JSON document") as caught:
        printed_json(LOG + '{"name": "Zoë"}\n', lambda v: "intact" in v)
    assert "Zoë" not in str(caught.value)
