"""Every RPC x (party involved / not involved / excluded) x (person with a part / colleague of
the same party without one / oversight role): no cell allows what the covenant does not
(art. 8.4c, 9.2, 12.3, 13.1, 23.2, Bijlage 3), and the person with a part is not refused what
it needs. In-process (no broker), SQLite, the real servicers, interceptor and Rego."""

from __future__ import annotations

import importlib

import pytest

from tests.matrix.framework import Report, ServiceSpec, rpcs, run
from zorgtafel.testing import Keys, handler_platform, served

SERVICES = ("intake", "casework", "disclosure", "governance")


def spec_of(service: str) -> ServiceSpec:
    spec: ServiceSpec = importlib.import_module(f"tests.matrix.spec_{service}").SPEC
    return spec


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    made: dict[str, Report] = {}

    def report(service: str) -> Report:
        if service not in made:
            spec = spec_of(service)
            data_dir = tmp_path_factory.mktemp(f"matrix-{service}")
            with handler_platform(service, data_dir) as (platform, parts):
                with served(platform, parts) as chan:
                    keys = Keys(data_dir)
                    fresh = spec.setup(platform, parts, chan, keys)
                    made[service] = run(spec, chan, keys, fresh)
        return made[service]

    return report


def lines(cells) -> list[str]:
    return [f"{c.rpc} as {c.party}/{c.person}: {c.outcome}" for c in cells]


@pytest.mark.parametrize("service", SERVICES)
def test_every_rpc_of_the_protos_has_its_place_in_the_matrix(service):
    spec = spec_of(service)
    names = {r.name for r in rpcs(service, spec.pb2)}
    assert names == set(spec.targets), "an RPC without a target, or a target without an RPC"


@pytest.mark.parametrize("service", SERVICES)
def test_no_cell_allows_what_the_covenant_does_not(reports, service):
    report = reports(service)
    assert len(report.cells) == 9 * len(spec_of(service).targets)
    assert lines(report.unexpected_allows()) == []


@pytest.mark.parametrize("service", SERVICES)
def test_the_person_with_a_part_gets_what_it_needs(reports, service):
    assert lines(reports(service).unexpected_refusals()) == []


def test_the_matrix_reports_its_cells(reports, capsys):
    total = Report()
    for service in SERVICES:
        total.cells.extend(reports(service).cells)
    with capsys.disabled():
        print(f"\n{total.summary()}")
    assert not total.unexpected_allows()
