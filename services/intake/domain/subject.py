"""The subject of a nomination: the minimal identity a nominating party gives, its checks
(eleven test, plausible date of birth), the normalised identity facts that find duplicates, and
the age band (Bijlage 3 consent rules: under 12, 12-16, 16+). Pure Python."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from services.intake.domain.vocabulary import MAX_NAME, AgeBand
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.validate import check_date, check_pattern, check_text

# Dutch identifiers: a burgerservicenummer (9 digits, eleven test) and a V-number (10 digits).
BSN = re.compile(r"[0-9]{9}")
V_NUMBER = re.compile(r"[0-9]{10}")
MAX_AGE_DAYS = 120 * 366


@dataclass(frozen=True)
class SubjectIdentity:
    """Minimal identifying data; never leaves the service except to the nominating party and
    the process director (GetNomination)."""

    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    bsn: str = ""
    v_number: str = ""

    def to_dict(self) -> dict:
        return {
            "given_names": self.given_names,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "bsn": self.bsn,
            "v_number": self.v_number,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "SubjectIdentity":
        dob = d.get("date_of_birth") or ""
        return cls(
            d.get("given_names", ""),
            d.get("family_name", ""),
            date.fromisoformat(dob) if dob else None,
            d.get("bsn", ""),
            d.get("v_number", ""),
        )


def bsn_valid(bsn: str) -> bool:
    """The eleven test (elfproef) of a burgerservicenummer."""
    if not BSN.fullmatch(bsn):
        return False
    weighted = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1), strict=True))
    total = weighted - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"


def parse_identity(
    given_names: str, family_name: str, date_of_birth: str, bsn: str, v_number: str, today: date
) -> SubjectIdentity:
    check_text(given_names, "subject.given_names", limit=MAX_NAME, required=False)
    check_text(family_name, "subject.family_name", limit=MAX_NAME, required=False)
    dob = None
    if date_of_birth:
        dob = check_date(date_of_birth, "subject.date_of_birth")
        if dob > today or dob < today - timedelta(days=MAX_AGE_DAYS):
            raise InvalidArgument("subject.date_of_birth", "not a plausible date of birth")
    if bsn and not bsn_valid(bsn):
        raise InvalidArgument("subject.bsn", "9 digits passing the eleven test")
    if v_number:
        check_pattern(v_number, "subject.v_number", V_NUMBER, "10 digits")
    if not normalise_name(family_name) and not bsn and not v_number:
        raise InvalidArgument(
            "subject", "a family name, a BSN or a V-number is required to identify the subject"
        )
    return SubjectIdentity(given_names.strip(), family_name.strip(), dob, bsn, v_number)


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing do not make a different person, nor an invisible
    format character (a soft hyphen, a zero-width space or joiner, a word joiner, a byte order
    mark: category Cf), which a name pasted from a document carries and nobody sees: it shows
    the same name, so it must find the same subject (1.1: link, never double)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    letters = re.sub(r"[^\w\s]", " ", letters.casefold())
    return " ".join(letters.split())


def match_keys(identity: SubjectIdentity) -> list[str]:
    """The normalised identity facts that identify a subject, strongest first. Each is turned
    into a keyed pseudonym (HMAC) by the adapter; the first is the subject's pseudonym. None
    for a name without a date of birth (then ``own_key``)."""
    keys = []
    if identity.bsn:
        keys.append(f"bsn:{identity.bsn}")
    if identity.v_number:
        keys.append(f"vnr:{identity.v_number}")
    family = normalise_name(identity.family_name)
    # A name alone is shared by strangers: without a date of birth it would make two people
    # one subject with one pseudonym (one's access or erasure reaching the other's data).
    if family and identity.date_of_birth is not None:
        given = normalise_name(identity.given_names)
        keys.append(f"name:{given}|{family}|{identity.date_of_birth.isoformat()}")
    return keys


def own_key(case_id: str) -> str:
    """The key of a subject nobody can recognise again (no BSN, no V-number, no date of birth
    beside the name): its own pseudonym, shared with no other nomination."""
    return f"nomination:{case_id}"


# A person's official identifiers (a BSN, a V-number): each names one person.
OFFICIAL_IDS = ("bsn", "v_number")


def official_ids(identity: SubjectIdentity) -> set[tuple[str, str]]:
    """The official identifiers given for the subject, as (kind, number)."""
    return {(kind, getattr(identity, kind)) for kind in OFFICIAL_IDS if getattr(identity, kind)}


def may_be_same_subject(identity: SubjectIdentity, known: set[tuple[str, str]]) -> bool:
    """Whether a nomination may be of the subject known by ``known`` (the official identifiers
    given in its nominations, ``official_ids``). A BSN or a V-number is one person's: two given
    of a kind that differ are two people, whatever else matches (a name and a date of birth are
    shared by strangers), and linking them would give both one pseudonym, so one person's
    access or erasure would reach the other's data (GDPR art. 15, 17; the covenant's need to
    know)."""
    own = official_ids(identity)
    kinds = {kind for kind, _ in own}
    return all(kind not in kinds or (kind, number) in own for kind, number in known)


# -- age bands --------------------------------------------------------------------------------
def age_on(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def age_band_for(dob: date | None, today: date) -> AgeBand:
    if dob is None:
        return AgeBand.UNKNOWN
    age = age_on(dob, today)
    if age < 12:
        return AgeBand.UNDER_12
    if age < 16:
        return AgeBand.AGE_12_TO_16
    return AgeBand.PLUS_16


def resolve_age_band(given: AgeBand | None, dob: date | None, today: date) -> AgeBand:
    """The band follows the date of birth when known; a stated band must agree with it."""
    derived = age_band_for(dob, today)
    if given is None:
        return derived
    if dob is not None and given != derived:
        raise InvalidArgument("age_band", "does not match the date of birth")
    return given
