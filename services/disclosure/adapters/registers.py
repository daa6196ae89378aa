"""The register of processing activities, shipped as data (``seed/processing_register.json``,
the nine fields of Bijlage 3 / GDPR art. 30). The access log names the versioned activity of
each decision (Logboek Dataverwerkingen)."""

from __future__ import annotations

import json
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seed" / "processing_register.json"
NINE_FIELDS = (
    "name",
    "controller",
    "purpose",
    "subject_categories",
    "data_categories",
    "recipients",
    "legal_basis",
    "transfers_outside_eea",
    "retention",
)


class ProcessingRegister:
    def __init__(self, path: Path = SEED) -> None:
        self.document = json.loads(path.read_text(encoding="utf-8"))
        self.activities: list[dict] = self.document["activities"]
        for a in self.activities:
            missing = [f for f in NINE_FIELDS if not a.get(f)]
            if missing:
                raise ValueError(f"processing activity {a.get('id')} lacks {missing}")
        self._by_id = {a["id"]: a for a in self.activities}
        self._default = self.document["disclosure_activity"]

    def activity_ref_for(self, purpose: str) -> str:
        """The versioned reference of the processing activity a disclosure belongs to."""
        a = self._by_id[self._default]
        return f"{a['id']}@{a['version']}"

    def export_json(self) -> bytes:
        return json.dumps(self.document, ensure_ascii=False, indent=2, sort_keys=True).encode()
