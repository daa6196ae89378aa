"""``zorgtafel.subjectdata.v1`` messages to and from the kernel's model."""

from __future__ import annotations

from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as pb
from zorgtafel.kernel.convert import to_timestamp
from zorgtafel.kernel.subjectdata.model import Export


def export_out(export: Export) -> pb.ExportSubjectDataResponse:
    out = pb.ExportSubjectDataResponse(
        service=export.service, case_ids=list(export.case_ids), note=export.note
    )
    for s in export.sections:
        section = out.sections.add(name=s.name, description=s.description)
        for r in s.records:
            record = section.records.add(
                kind=r.kind, record_id=r.record_id, case_id=r.case_id, party=r.party
            )
            ts = to_timestamp(r.recorded_at)
            if ts is not None:
                record.recorded_at.CopyFrom(ts)
            record.fields.update(r.fields)
    for w in export.withheld:
        out.withheld.add(
            section=w.section,
            kind=w.kind,
            record_id=w.record_id,
            case_id=w.case_id,
            party=w.party,
            ground=w.ground,
        )
    return out
