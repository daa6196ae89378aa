"""The parties and people of the demo case (seeded by governance from the covenant)."""

from __future__ import annotations

from dataclasses import dataclass

# Parties of the covenant (seeded by governance from services/governance/seed/parties.json).
LUMENS = "00000099000000000053"  # employs the process director (managers, art. 11)
LEGER_DES_HEILS = "00000099000000000051"  # shelter: nominates and provides
POLICE = "00000099000000000061"  # Politie Eenheid Oost-Brabant
EINDHOVEN = "00000099000000000013"  # Gemeente Eindhoven
ASTEN = "00000099000000000001"  # Gemeente Asten: not involved in this case
HELMOND = "00000099000000000018"  # Gemeente Helmond: one of the managers' organisations (11.1)
THIRD_PARTY = "00000001234567890123"  # not a party of the covenant (9.2)


@dataclass(frozen=True)
class Actor:
    label: str
    party: str
    role: str
    person: str


PROCESS_DIRECTOR = Actor("process director (Lumens)", LUMENS, "process_director", "pd-anna")
# Designated too (by the managers), but directs other cases, not this one (12.3).
OTHER_DIRECTOR = Actor("process director of another case", LUMENS, "process_director", "pd-otto")
# A token that claims the job, for a person the managers never designated (12.1, 12.3).
CLAIMANT = Actor("worker claiming to be a process director", POLICE, "process_director", "pol-x")
SHELTER = Actor("shelter worker (Leger des Heils)", LEGER_DES_HEILS, "caseworker", "lh-bram")
POLICE_OFFICER = Actor("police officer", POLICE, "caseworker", "pol-carla")
MUNICIPALITY = Actor("municipal worker (Eindhoven)", EINDHOVEN, "caseworker", "ehv-dirk")
POLICE_COLLEAGUE = Actor("police colleague without a part", POLICE, "caseworker", "pol-gert")
OUTSIDER = Actor("municipal worker (Asten, not involved)", ASTEN, "caseworker", "ast-eva")
# Oversight is scoped to the controller (ADR 0005): the shelter's privacy officer sees what
# concerns the items the shelter provided; Best's, whose party neither provided nor received
# anything here, nothing.
PRIVACY_OFFICER = Actor(
    "privacy officer (Leger des Heils)", LEGER_DES_HEILS, "privacy_officer", "fg-fenna"
)
# Gemeente Best: provided nothing in this case and received nothing from it.
OTHER_PRIVACY_OFFICER = Actor(
    "privacy officer (Best)", "00000099000000000004", "privacy_officer", "fg-gijs"
)
HELMOND_REPRESENTATIVE = Actor(
    "Helmond's representative", HELMOND, "party_representative", "hel-rep"
)
HELMOND_MANAGER = Actor("manager (Helmond)", HELMOND, "manager", "hel-mgr-hanna")
OUTSIDER_DELEGATE = Actor("Asten's council delegate", ASTEN, "council_delegate", "ast-jan")
