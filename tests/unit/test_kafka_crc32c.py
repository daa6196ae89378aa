"""kafka-python checksums every record batch it writes (the relay's publishes) and checks every
one it fetches (the consumers) with CRC-32C, in C only when the ``crc32c`` package can be
imported (``kafka.record.util``); otherwise in pure Python, ~0.2 ms CPU an audited disclosure in
the disclosure process (issue #16). ``crc32c`` is therefore a runtime dependency, in the lock the
image installs; a venv without it (an install beside the lock) fails here, not in the bench."""

from __future__ import annotations

import importlib.util

from kafka.record import util


def test_kafka_python_checksums_record_batches_with_the_c_crc32c():
    assert importlib.util.find_spec("crc32c") is not None, (
        "the crc32c package is not installed: kafka-python falls back to pure Python "
        "(install requirements.lock)"
    )
    import crc32c

    assert util.crc32c_c is crc32c.crc32c
    # the function calc_crc32c is bound to when kafka.record.util was imported
    assert util.calc_crc32c.__defaults__ == (crc32c.crc32c,)
    assert util._crc32c is not util.crc32c_py


def test_the_c_crc32c_agrees_with_kafka_pythons_own():
    batch = memoryview(bytes(range(256)) * 5)
    assert util.calc_crc32c(batch) == util.crc32c_py(batch)
    assert util.calc_crc32c(memoryview(b"123456789")) == 0xE3069283  # CRC-32C check value
