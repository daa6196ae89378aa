"""Calls to disclosure that the authz policy refused before any handler ran (an excluded or
unknown party, a role without the method) still belong in the access log: NEN 7513 logs
attempts, and the subject's right to know who tried to see what includes them. Only the
methods that would release information are logged; identifiers only, never content."""

from __future__ import annotations

import re

from sqlalchemy import select

from services.disclosure.adapters import accesslog, orm
from zorgtafel.kernel.uow import utcnow

RELEASING = {
    "/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure": "read",
    "/zorgtafel.disclosure.v1.DisclosureService/BreakGlass": "break_glass",
}
ITEM_ID_RE = re.compile(r"^itm-[0-9a-f]{32}$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def record_refusal(uow_factory, activity_ref: str, refused) -> None:
    action = RELEASING.get(refused.method)
    if action is None:
        return
    request = refused.request
    ids = [i for i in getattr(request, "item_ids", [])[:100] if ITEM_ID_RE.match(i)] or [""]
    purpose = getattr(request, "purpose", "")
    purpose = purpose if CODE_RE.match(purpose or "") else "unspecified"
    now = utcnow()
    p = refused.principal
    with uow_factory() as uow:
        records = []
        for item_id in ids:
            row = uow.session.execute(
                select(orm.items.c.case_id, orm.items.c.provider,
                       orm.case_facts.c.subject_pseudonym)
                .select_from(orm.items.outerjoin(
                    orm.case_facts, orm.items.c.case_id == orm.case_facts.c.case_id))
                .where(orm.items.c.item_id == item_id)).first() if item_id else None
            records.append({
                "decision_id": refused.decision_id, "recorded_at": now, "party": p.party,
                "person": p.person, "role": p.role, "action": action, "purpose": purpose,
                "resource": item_id, "recipient": p.party,
                "subject_pseudonym": (row.subject_pseudonym if row and row.subject_pseudonym
                                      else "unknown"),
                "case_id": row.case_id if row else "", "provider": row.provider if row else "",
                "result": "denied", "reasons": list(refused.reasons),
                "policy_revision": refused.policy_revision or "",
                "trace_id": refused.trace_id, "span_id": refused.span_id,
                "processing_activity": activity_ref, "emergency": action == "break_glass"})
        accesslog.append(uow.session, records)
        uow.commit()
