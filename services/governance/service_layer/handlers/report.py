"""The managers' annual report (art. 11.3d) from casework's and disclosure's facts (counters
only: no case id is kept)."""

from __future__ import annotations

from datetime import datetime, timezone

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain.report import AnnualReport, metric_of
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import authorise, decided_by
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.events import InboundEvent


def _year_of(deps: Deps, event: InboundEvent) -> int:
    for key in ("decided_at", "closed_at", "opened_at"):
        value = event.data.get(key) if hasattr(event.data, "get") else None
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value).astimezone(timezone.utc).year
            except ValueError:
                pass
    if event.time is not None:
        return event.time.astimezone(timezone.utc).year
    return deps.now().year


def count_event(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """Consumer: add the event to its year's counters; nothing identifying is kept."""
    metric = metric_of(event.type, event.data)
    if metric is not None:
        uow.counters.increment(_year_of(deps, event), metric)


def annual_report(uow: GovernanceUnitOfWork, year: int) -> AnnualReport:
    if not 2000 <= year <= 2200:
        raise InvalidArgument("year", "required: a year between 2000 and 2200")
    return AnnualReport.from_counters(year, uow.counters.for_year(year))


def read_annual_report(
    deps: Deps, uow: GovernanceUnitOfWork, year: int, caller: Caller
) -> AnnualReport:
    """The report, to the holders of a managers seat or a regional board seat (art. 11.3d:
    the managers report to the board), not to every token with such a role."""
    found = annual_report(uow, year)
    saw(resource=f"annual_report.{year}")  # counts only; the log says which year was read
    decided_by(authorise(deps, uow, caller, "read_annual_report"))
    return found


_EXPORTS = {
    "csv": ("text/csv", AnnualReport.to_csv),
    "json": ("application/json", AnnualReport.to_json),
}


def export_annual_report(
    deps: Deps, uow: GovernanceUnitOfWork, year: int, fmt: str, caller: Caller
) -> tuple[str, bytes]:
    """The report as a file: (content type, bytes), CSV or JSON, to whom it is read by."""
    if fmt not in _EXPORTS:
        raise InvalidArgument("format", "required: REPORT_FORMAT_CSV or REPORT_FORMAT_JSON")
    content_type, render = _EXPORTS[fmt]
    return content_type, render(read_annual_report(deps, uow, year, caller))
