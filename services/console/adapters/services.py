"""The four services' clients, built once per app from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from services.console.adapters.casework import CaseMeeting, Casework
from services.console.adapters.channels import client_tls, open_channel
from services.console.adapters.disclosure import Disclosure
from services.console.adapters.governance import Bodies, Governance
from services.console.adapters.intake import Intake
from services.console.settings import ConsoleSettings
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as cw_grpc
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as ds_grpc
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as gv_grpc
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as ik_grpc

log = logging.getLogger("zorgtafel.console")


@dataclass(frozen=True)
class Services:
    intake: Intake
    casework: Casework
    meeting: CaseMeeting
    disclosure: Disclosure
    governance: Governance
    bodies: Bodies

    @classmethod
    def connect(cls, settings: ConsoleSettings) -> Services:
        # The TLS files are read (and the certificate's party checked) once, at start.
        tls = client_tls(settings)
        if settings.party:
            log.info(
                "console serves party %s (%s)",
                settings.party,
                "mTLS with its certificate" if tls and tls.certificate_chain else "no mTLS",
            )
        else:
            log.warning("development console: it signs in the people of every party (ADR 0009)")
        ch = {s: open_channel(settings, a, tls) for s, a in settings.endpoints.items()}
        return cls(
            intake=Intake(ik_grpc.IntakeServiceStub(ch["intake"])),
            casework=Casework(cw_grpc.CaseworkServiceStub(ch["casework"])),
            meeting=CaseMeeting(cw_grpc.CaseworkServiceStub(ch["casework"])),
            disclosure=Disclosure(ds_grpc.DisclosureServiceStub(ch["disclosure"])),
            governance=Governance(gv_grpc.GovernanceServiceStub(ch["governance"])),
            bodies=Bodies(gv_grpc.GovernanceServiceStub(ch["governance"])),
        )
