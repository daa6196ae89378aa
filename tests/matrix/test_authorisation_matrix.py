"""Every RPC x (party involved / not involved / excluded) x (person with a part / colleague of
the same party without one / oversight role): no cell allows what the covenant does not
(art. 8.4c, 9.2, 12.3, 13.1, 23.2, Bijlage 3), and the person with a part is not refused what
it needs. The RPCs are those of every gRPC service a service serves: its own and the kernel's
(``AccessLogService``, ``SubjectDataService``; issues #14, #15). In-process (no broker),
SQLite, the real servicers, interceptor (access log on) and Rego."""

from __future__ import annotations

import importlib

import pytest

from tests.matrix.framework import Report, ServiceSpec, run
from tests.matrix.serving import served
from zorgtafel.testing import Keys, handler_platform

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
                with served(platform, parts) as (chan, names):
                    keys = Keys(data_dir)
                    fresh = spec.setup(platform, parts, chan, keys)
                    made[service] = run(spec, chan, keys, fresh, names)
        return made[service]

    return report


def lines(cells) -> list[str]:
    return [f"{c.rpc} as {c.party}/{c.person}: {c.outcome}" for c in cells]


@pytest.mark.parametrize("service", SERVICES)
def test_every_rpc_of_the_protos_has_its_place_in_the_matrix(reports, service):
    """Every RPC of every gRPC service the service serves (its own proto's and the kernel's,
    as registered) has a target, and every target an RPC."""
    served = reports(service).rpcs
    assert len(served) == len(set(served)), "two RPCs share a target key"
    untargeted = sorted(set(served) - set(spec_of(service).targets))
    stale = sorted(set(spec_of(service).targets) - set(served))
    assert (untargeted, stale) == ([], []), "an RPC without a target, or a target without an RPC"


@pytest.mark.parametrize("service", SERVICES)
def test_the_matrix_serves_what_bootstrap_serves(reports, service, tmp_path):
    """The matrix's server (``serving.served``) mirrors the kernel's bootstrap: the gRPC
    services a real start registers are the ones the matrix enumerates. (Built, not started:
    no broker is asked.)"""
    from zorgtafel.kernel.bootstrap import bootstrap
    from zorgtafel.kernel.registry import definition
    from zorgtafel.testing.services import settings_for, shared_policy_engine

    Keys(tmp_path)
    settings = settings_for(service, tmp_path, "127.0.0.1:1")
    app = bootstrap(settings, definition(service), policy=shared_policy_engine(settings.policy_dir))
    try:
        registered = set(app.grpc_service_names)
    finally:  # the parts a start would have started, released without the start
        app.server.stop(None)
        if app.access_log is not None:
            app.access_log.close()
        app.relay.stop()
        app.broker_check.close()
        app.engine.dispose()
        app.tracer_provider.shutdown()
        app.ops._server.server_close()  # bound, never served (its stop waits for a serve)
    assert set(reports(service).services) == registered


@pytest.mark.parametrize("service", SERVICES)
def test_the_kernels_services_are_in_the_matrix(reports, service):
    """Issues #14/#15: the access log and the subject data export every service serves are
    cells of the matrix like the service's own RPCs."""
    kernel = {name.split(".")[0] for name in reports(service).rpcs if "." in name}
    assert kernel == {"AccessLogService", "SubjectDataService"}


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
