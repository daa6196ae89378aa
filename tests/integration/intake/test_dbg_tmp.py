import pytest, grpc
from tests.integration.intake.conftest import *  # noqa
from tests.integration.intake.test_intake import *  # noqa
def test_dbg(env):
    try:
        test_nomination_gives_a_keyed_pseudonym_and_the_age_band_from_the_date_of_birth(env)
    finally:
        print([l for l in env.logs.text().splitlines() if "internal" in l or "error" in l])
