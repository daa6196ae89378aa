"""1.1 nomination, reading a nomination, and its withdrawal by the nominating party (16.1).

A nomination of a person already known is linked for the process director; the nominator is
told only "received", as for any new nomination, never the existing case id nor the subject's
pseudonym (issue 13 point 7). Matches are counted per nominating person: at the limit the
managers are flagged (``ProbingFlagged``) and the access policy refuses further nominations by
that person until the window has passed (Bijlage 3, GDPR art. 32)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.intake.adapters import policy_facts
from services.intake.adapters.probing import ProbeLog
from services.intake.adapters.repository import NominationRepository, terms_expiry
from services.intake.domain import events
from services.intake.domain.commands import GetNomination, Nominate, Withdraw
from services.intake.domain.model import Nomination
from services.intake.domain.subject import (
    match_keys,
    may_be_same_subject,
    own_key,
    parse_identity,
    resolve_age_band,
)
from services.intake.domain.vocabulary import Status
from services.intake.service_layer.deps import Deps
from services.intake.service_layer.handlers.lookup import load
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")


@dataclass(frozen=True)
class NominationView:
    """A nomination as one reader may see it: ``full`` for its process director (and the
    queue); the nominating party's view leaves out the pseudonym, the links and whether it
    was linked (the policy's ``nominator_view`` obligation), and of the triage round all but
    the parties in ``triage_of`` (the ``triage_view`` obligation: its own party, if asked)."""

    nomination: Nomination
    linked: list[str]
    full: bool
    # The asked parties whose part in the triage round this reader sees; None: all of them.
    triage_of: frozenset[str] | None = None

    def sections(self) -> str:
        """The parts of the nomination this view lets out, by name (for the access log)."""
        n = self.nomination
        parts = ["identity", "problems", "safety", "chains", "consent"]
        if n.advice is not None or n.qualifies is not None:
            parts.append("assessment")
        if n.criteria is not None:
            parts.append("criteria")
        if n.safety_override is not None:
            parts.append("safety_override")
        if n.triage is not None:
            # the nominating party's view: its own party's part in the round only
            parts.append("triage" if self.triage_of is None else "triage_of_own_party")
        if n.routing is not None or n.meeting is not None:
            parts.append("routing")
        if self.full:
            parts.append("pseudonym_and_links")  # the process director's view only
        return ",".join(parts)


def nominate(deps: Deps, uow: UnitOfWork, cmd: Nominate, caller: Caller) -> Nomination:
    now = deps.clock()
    identity = parse_identity(
        cmd.given_names, cmd.family_name, cmd.date_of_birth, cmd.bsn, cmd.v_number, now.date()
    )
    age_band = resolve_age_band(cmd.age_band, identity.date_of_birth, now.date())
    expiry = terms_expiry(cmd.usage_terms)
    if expiry is not None and expiry <= now:
        # 16.2: after the expiry nobody but the person who nominated acts on it; made so, it
        # would hold the subject's open nomination that later ones of any party wait behind.
        raise InvalidArgument(
            "usage_terms.expires_at", "must be in the future: nobody could act on the nomination"
        )
    probes, limits = ProbeLog(uow), deps.settings
    since = now - limits.probe_window
    matched_before = probes.matches(caller.party, caller.person, since)
    party_matched_before = probes.party_matches(caller.party, since)
    # Asked before matching, so a refusal tells nothing about this subject.
    policy_facts.check_may_nominate(
        deps.policy,
        deps.roster,
        caller,
        {
            "matches": matched_before,
            "limit": limits.probe_limit,
            # the party's persons together: many person ids must not evade the limit
            "party_matches": party_matched_before,
            "party_limit": limits.probe_party_limit,
            "window_s": limits.probe_window_s,
        },
    )
    repo = NominationRepository(uow)
    # Asked after the policy, so that only who may nominate learns which parties direct.
    named = set(cmd.usage_terms.get("recipient_parties") or ())
    if named and not repo.has_director_party(named | {caller.party}):
        # 16.2, 12.3: only the parties the terms name (and the nominating party) may act on
        # it; with no process director among them nobody would assess it, and it would hold
        # its subject from every later nomination.
        raise InvalidArgument(
            "usage_terms.recipient_parties",
            "must name a party with a designated process director: nobody could assess it",
        )
    case_id = uuid.uuid4().hex
    tokens = deps.pseudonyms.pseudonyms(uow, match_keys(identity) or [own_key(case_id)])
    existing, others, stale, stale_tokens = None, set(), [], []
    for match in repo.open_cases_matching(tokens):
        if not may_be_same_subject(identity, repo.subject_official_ids(match.case_id)):
            # another person's (another BSN or V-number): theirs stay theirs
            others |= match.tokens
        elif repo.nobody_may_act(match.case_id, now):
            # 16.2, 12.3: no process director may act on it (its terms expired, or no party
            # they name has one): it no longer holds the subject, else this one would wait
            # behind it.
            stale.append(match.case_id)
            # Its tokens (and those only the nominations linked behind it gave) pass to the
            # nomination that now holds the subject, claimed after its own.
            stale_tokens += repo.held_tokens(match.case_id)
            repo.release_tokens(match.case_id)
        else:
            existing = match
            break
    if existing is not None:
        # The same subject already has an open nomination: link, never double (1.1).
        linked_to, pseudonym, status = existing.case_id, existing.pseudonym, Status.LINKED
    else:
        linked_to, pseudonym, status = "", tokens[0], Status.NOMINATED
    nom = Nomination(
        case_id=case_id,
        subject_pseudonym=pseudonym,
        nominating_party=caller.party,
        nominated_by=caller.person,
        status=status,
        identity=identity,
        age_band=age_band,
        problems=cmd.problems,
        safety=cmd.safety,
        chains=cmd.chains,
        consent=cmd.consent,
        usage_terms=cmd.usage_terms,
        nominated_at=now,
        linked_to_case_id=linked_to,
    )
    repo.add(nom, tokens)
    claimed = [t for t in tokens if t not in others]
    repo.claim_tokens(linked_to or case_id, claimed, primary=not linked_to)
    for set_aside in stale:
        # What waited behind it waits behind the nomination that now holds the subject; the
        # set-aside one is linked to none, so its nominator learns nothing of the others.
        repo.relink(set_aside, linked_to or case_id)
    repo.claim_tokens(linked_to or case_id, stale_tokens, primary=False)
    uow.emit(
        events.CaseNominated(
            case_id=case_id,
            subject_pseudonym=pseudonym,
            nominating_party=caller.party,
            age_band=age_band.value,
            nominated_at=now.isoformat(),
            linked_to_case_id=linked_to,
        )
    )
    if linked_to:
        _count_match(deps, uow, probes, caller, matched_before + 1, party_matched_before + 1)
    log.info(
        "case_nominated",
        case_id=case_id,
        subject_pseudonym=pseudonym,
        nominating_party=caller.party,
        age_band=age_band.value,
        linked_to_case_id=linked_to or None,
    )
    return nom


def _count_match(
    deps: Deps, uow: UnitOfWork, probes: ProbeLog, caller: Caller, matches: int, party: int
) -> None:
    """One more match by this person (``matches`` now) and its party (``party`` now): reaching
    the person's limit, or the party's, raises the managers' flag; the party's names no one
    person (``nominated_by`` empty: its persons together)."""
    now = deps.clock()
    probes.record_match(caller.party, caller.person, now)
    if matches == deps.settings.probe_limit:
        _flag(deps, uow, probes, caller.party, caller.person, matches)
    if party == deps.settings.probe_party_limit:
        _flag(deps, uow, probes, caller.party, "", party)


def _flag(
    deps: Deps, uow: UnitOfWork, probes: ProbeLog, party: str, person: str, matches: int
) -> None:
    now = deps.clock()
    flag = probes.flag(party, person, matches, deps.settings.probe_window, now)
    uow.emit(
        events.ProbingFlagged(
            flag_id=flag.flag_id,
            nominating_party=flag.nominating_party,
            nominated_by=flag.nominated_by,
            matches=flag.matches,
            window_s=flag.window_s,
            flagged_at=now.isoformat(),
        )
    )
    log.warning(
        "probing_flagged",
        flag_id=flag.flag_id,
        nominating_party=party,
        nominated_by=person or None,
        matches=matches,
        window_s=flag.window_s,
    )


def get_nomination(
    deps: Deps, uow: UnitOfWork, query: GetNomination, caller: Caller
) -> NominationView:
    """The nomination as this reader may see it, with the ids of the nominations linked to it
    (for its process director only)."""
    repo, nom = load(uow, query.case_id, deps, caller, "read_nomination")
    # Named before the policy decides, so that a refusal is logged about this case and
    # subject too (the pseudonym stays in the log even when the reader's view leaves it out).
    saw(
        case_id=nom.case_id,
        subject=nom.subject_pseudonym,
        # whose data it is: the nominating party's privacy officer oversees who read it
        provider=nom.nominating_party,
    )
    decision = policy_facts.check_access(
        deps.policy, deps.roster, "read_nomination", caller, nom, now=deps.clock()
    )
    full = not any(o.get("type") == "nominator_view" for o in decision.obligations)
    log.info("nomination_read", case_id=nom.case_id, party=caller.party, role=caller.role)
    linked = repo.linked_case_ids(nom.case_id, status=None) if full else []
    view = NominationView(nom, linked, full, None if full else _triage_of(decision, caller))
    saw(resource=view.sections(), decision=decision)
    return view


def _triage_of(decision, caller: Caller) -> frozenset[str]:
    """The asked parties whose part in the triage round the nominating party sees: its own
    party, when the policy's ``triage_view`` obligation says so; none otherwise (fail closed).
    Another party's answer is its own information for the process director (1.15, 16.2)."""
    own = any(
        o.get("type") == "triage_view" and o.get("scope") == "own_party"
        for o in decision.obligations
    )
    return frozenset({caller.party}) if own else frozenset()


def withdraw(deps: Deps, uow: UnitOfWork, cmd: Withdraw, caller: Caller) -> Nomination:
    repo, nom = load(uow, cmd.case_id, deps, caller, "withdraw_nomination")
    policy_facts.check_access(
        deps.policy, deps.roster, "withdraw_nomination", caller, nom, now=deps.clock()
    )
    was_primary = nom.status != Status.LINKED
    nom.withdraw()
    repo.save(nom)
    if was_primary:
        _pass_on(repo, nom)
    uow.emit(
        events.NominationWithdrawn(
            case_id=nom.case_id, nominating_party=nom.nominating_party, reason_code=cmd.reason_code
        )
    )
    log.info("nomination_withdrawn", case_id=nom.case_id, reason_code=cmd.reason_code or None)
    return nom


def _pass_on(repo: NominationRepository, withdrawn: Nomination) -> None:
    """The next duplicate nomination of the subject, if any, carries the case on (back in the
    intake queue: the process director who assesses it takes it up)."""
    linked = repo.linked_case_ids(withdrawn.case_id)
    successor = repo.get(linked[0]) if linked else None
    if successor is None:
        repo.release_tokens(withdrawn.case_id)
        return
    successor.status = Status.NOMINATED
    repo.save(successor)
    repo.relink(withdrawn.case_id, successor.case_id)
    repo.unlink(successor.case_id)
    repo.release_tokens(withdrawn.case_id, to_case=successor.case_id)
