"""The parties and people of the demo case (seeded by governance from the covenant)."""

from __future__ import annotations

from dataclasses import dataclass

# Parties of the covenant (seeded by governance from services/governance/seed/parties.json).
LUMENS = "00000099000000000053"  # employs the process director (managers, art. 11)
LEGER_DES_HEILS = "00000099000000000051"  # shelter: nominates and provides
POLICE = "00000099000000000061"  # Politie Eenheid Oost-Brabant
EINDHOVEN = "00000099000000000013"  # Gemeente Eindhoven
ASTEN = "00000099000000000001"  # Gemeente Asten: not involved in this case
THIRD_PARTY = "00000001234567890123"  # not a party of the covenant (9.2)


@dataclass(frozen=True)
class Actor:
    label: str
    party: str
    role: str
    person: str


PROCESS_DIRECTOR = Actor("process director (Lumens)", LUMENS, "process_director", "pd-anna")
SHELTER = Actor("shelter worker (Leger des Heils)", LEGER_DES_HEILS, "caseworker", "lh-bram")
POLICE_OFFICER = Actor("police officer", POLICE, "caseworker", "pol-carla")
MUNICIPALITY = Actor("municipal worker (Eindhoven)", EINDHOVEN, "caseworker", "ehv-dirk")
OUTSIDER = Actor("municipal worker (Asten, not involved)", ASTEN, "caseworker", "ast-eva")
PRIVACY_OFFICER = Actor("privacy officer (Lumens)", LUMENS, "privacy_officer", "fg-fenna")
