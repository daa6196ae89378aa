"""What a refusal tells, and to whom (art. 8.4c, 16.2, ADR 0005): a person without a part in
the case learns only that, never the case's facts, nor which categories it holds; a provider's
recipient roles are matched by the person's part in the case, never by the token's role claim.
Handlers called on a migrated database and the embedded policy engine."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from services.disclosure.domain import commands as c
from services.disclosure.domain.items import Terms
from services.disclosure.service_layer.handlers import consents, disclosure, items
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import (
    CARER,
    CELLO,
    DIRECTOR,
    FARENT,
    GGZ,
    OUTSIDER,
    PROVIDER,
    open_case,
    provide,
    provide_cmd,
    read,
)
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument, NotFound, PermissionDenied, ZorgtafelError
from zorgtafel.testing import deliver

disclosure_platform = base.disclosure_platform
deps = base.deps
PART_REASONS = ("has no part in the case", "is not involved in the case")


def _ask(platform, deps, caller, case_id, category, purpose="care_coordination", **kw):
    with platform.uow_factory() as uow:
        return disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(
                action=kw.pop("action", "read"),
                purpose=purpose,
                case_id=case_id,
                category=category,
                **kw,
            ),
            caller,
        )


def _refused(platform, deps, caller, case_id, category, **kw) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as err:
        _ask(platform, deps, caller, case_id, category, **kw)
    return err.value


def _only_part_reasons(reasons) -> bool:
    return bool(reasons) and all(any(p in r for p in PART_REASONS) for r in reasons)


def test_an_outsider_is_told_only_that_it_has_no_part(disclosure_platform, deps):
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    with platform.uow_factory() as uow:
        items.provide(deps, uow, provide_cmd(case_id, legal_basis="consent"), PROVIDER)
        uow.commit()
    deliver(platform, parts, ev.CASE_CLOSED, {"case_id": case_id, "outcome": "successful"})
    refused = _refused(platform, deps, OUTSIDER, case_id, "health", purpose="probe")
    assert _only_part_reasons(refused.reasons), refused.reasons
    # A person with a part is told why (closed, consent, purposes), as before.
    told = _refused(platform, deps, CARER, case_id, "health", purpose="probe")
    assert any("is closed" in r for r in told.reasons)
    assert any("care_coordination" in r for r in told.reasons)


def test_an_outsider_asking_a_third_party_release_is_told_only_that(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)
    refused = _refused(
        platform,
        deps,
        OUTSIDER,
        case_id,
        "health",
        action="third_party_release",
        third_party="00000099000000000077",
    )
    assert _only_part_reasons(refused.reasons), refused.reasons


def test_an_outsider_holding_only_an_item_id_is_not_told_its_case(disclosure_platform, deps):
    """Art. 8.4c: a person without a part who asks for an item by its id is refused with words
    that name neither the item's case nor anything of the item (category, provider): the
    refusal tells an outsider only that they have no part."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    colleague = Caller(CELLO, "collega-3", "caseworker", party_status="active")
    for caller in (OUTSIDER, colleague):
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
            read(deps, uow, item_id, caller)
        assert _only_part_reasons(err.value.reasons), err.value.reasons
        told = str(err.value)
        assert case_id not in told and "health" not in told and GGZ not in told, told


def test_a_non_providers_refusal_of_an_item_operation_does_not_name_the_provider(
    disclosure_platform, deps
):
    """Art. 16.2, 8.4c: only the provider changes an item's terms, retracts it or gives its
    written consent (9.2); anyone else, who may hold no more than the item id, is refused
    without being told which party provided it."""
    platform, _ = disclosure_platform
    item_id = provide(disclosure_platform, deps, open_case(disclosure_platform))
    attempts = (
        lambda uow: items.set_usage_terms(
            deps, uow, c.SetUsageTerms(item_id, Terms(purposes=("research",))), OUTSIDER
        ),
        lambda uow: items.retract(deps, uow, c.Retract(item_id), OUTSIDER),
        lambda uow: consents.record_provider_consent(
            deps, uow, c.RecordProviderConsent(item_id, "00000099000000000099", "doc:1"), OUTSIDER
        ),
    )
    for attempt in attempts:
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
            attempt(uow)
        assert "not the provider" in str(err.value) and GGZ not in str(err.value), err.value


def test_an_outsider_cannot_tell_which_categories_a_case_holds_nor_whether_it_exists(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)  # a "health" item, no "police" item
    held = _refused(platform, deps, OUTSIDER, case_id, "health")
    absent = _refused(platform, deps, OUTSIDER, case_id, "police")
    every = _refused(platform, deps, OUTSIDER, case_id, "")
    assert absent.reasons == held.reasons == every.reasons
    assert _only_part_reasons(absent.reasons)
    assert (absent.policy, absent.revision) == (held.policy, held.revision)
    unknown = f"case-{uuid.uuid4().hex[:12]}"
    nowhere = _refused(platform, deps, OUTSIDER, unknown, "police")
    assert nowhere.reasons == tuple(r.replace(case_id, unknown) for r in held.reasons)
    # Each refusal is a logged decision, whether or not an item of the category exists.
    with platform.uow_factory() as uow:
        logged = {r["decision_id"]: r for r in uow.access_log.latest("party", FARENT)}
    for refusal in (held, absent, every, nowhere):
        assert logged[refusal.decision_id]["result"] == "denied"
    assert logged[absent.decision_id]["case_id"] == case_id
    assert logged[absent.decision_id]["resource"] == ""


def test_a_person_with_a_part_still_hears_that_there_is_no_such_item(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)
    for caller in (CARER, PROVIDER, DIRECTOR):
        with pytest.raises(NotFound):
            _ask(platform, deps, caller, case_id, "police")
    with pytest.raises(NotFound):  # a case without items, asked by its own delegate
        _ask(platform, deps, CARER, open_case(disclosure_platform), "")


@pytest.mark.parametrize("claimed", ["case_director", "process_director"])
def test_a_token_role_does_not_meet_the_providers_recipient_roles(
    disclosure_platform, deps, claimed
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)  # no case director appointed
    with platform.uow_factory() as uow:
        item_id = items.provide(
            deps, uow, provide_cmd(case_id, recipient_roles=(claimed,)), PROVIDER
        )
        uow.commit()
    claiming = Caller(CARER.party, CARER.person, claimed, party_status="active")
    for caller in (CARER, claiming):
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
            read(deps, uow, item_id, caller)
        assert any("only for the roles" in r for r in err.value.reasons)


def test_the_recipient_roles_are_met_by_the_part_in_the_case(disclosure_platform, deps):
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    with platform.uow_factory() as uow:
        for_directors = items.provide(
            deps, uow, provide_cmd(case_id, recipient_roles=("case_director",)), PROVIDER
        )
        for_carers = items.provide(
            deps, uow, provide_cmd(case_id, recipient_roles=("care_provider",)), PROVIDER
        )
        uow.commit()
    with platform.uow_factory() as uow:  # the party's role in the case (RolesSet)
        assert read(deps, uow, for_carers, CARER).released
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        read(deps, uow, for_directors, CARER)
    deliver(
        platform,
        parts,
        ev.DIRECTOR_APPOINTED,
        {"case_id": case_id, "party": CARER.party, "person": CARER.person},
    )
    with platform.uow_factory() as uow:  # appointed, with the same token role as before
        assert read(deps, uow, for_directors, CARER).released


def test_an_outsider_is_told_the_same_of_an_item_id_it_has_no_part_in_as_of_one_never_given(
    disclosure_platform, deps
):
    """Art. 8.4c, ADR 0005: by an item id alone an unknown item answered NOT_FOUND while a real
    one answered PERMISSION_DENIED (not the provider, or no part), so an outsider holding an id
    learned that the item exists. Every operation by item id (a read without its case, the
    provider's terms, retraction, written consent, a corrected version) now refuses an unknown
    item as the policy refuses someone else's: the same words (with the id asked), the same
    policy and revision, each a logged decision."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    real = provide(disclosure_platform, deps, case_id)
    unknown = f"itm-{uuid.uuid4().hex}"

    def attempts(item_id: str) -> list:
        return [
            lambda uow: read(deps, uow, item_id, OUTSIDER),
            lambda uow: items.set_usage_terms(
                deps, uow, c.SetUsageTerms(item_id, Terms(purposes=("research",))), OUTSIDER
            ),
            lambda uow: items.retract(deps, uow, c.Retract(item_id), OUTSIDER),
            lambda uow: consents.record_provider_consent(
                deps,
                uow,
                c.RecordProviderConsent(item_id, "00000099000000000099", "doc:1"),
                OUTSIDER,
            ),
            # A party with a part in the case asks to correct an item it did not provide.
            lambda uow: items.provide(
                deps, uow, replace(provide_cmd(case_id), supersedes=item_id), CARER
            ),
        ]

    def told(attempt) -> tuple:  # noqa: ANN001
        with platform.uow_factory() as uow:
            try:
                result = attempt(uow)
            except ZorgtafelError as err:
                return (
                    type(err).__name__,
                    err.message.replace(unknown, real),
                    tuple(r.replace(unknown, real) for r in getattr(err, "reasons", ())),
                    getattr(err, "policy", None),
                    getattr(err, "revision", None),
                    bool(getattr(err, "decision_id", "")),
                )
            finally:
                uow.rollback()
        # A read answers with the refused items: what it says of each.
        return ("answered", [(d.item_id.replace(unknown, real), d.reasons) for d in result.denied])

    for of_real, of_unknown in zip(attempts(real), attempts(unknown), strict=True):
        assert told(of_unknown) == told(of_real)


def _consents_of_a_case(disclosure_platform, deps) -> tuple[str, str, str, str]:  # noqa: ANN001
    """A case with the provider's item resting on consent, the subject's consent recorded by
    the carer and the provider's written consent for a third party (9.2): the case's, the
    item's, the subject's consent's and the written consent's ids."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id, legal_basis="consent"), PROVIDER)
        uow.commit()
    with platform.uow_factory() as uow:
        subject = consents.record_subject_consent(
            deps, uow, c.RecordSubjectConsent(case_id, "subject", ("health",), "doc:c/1"), CARER
        )
        written = consents.record_provider_consent(
            deps,
            uow,
            c.RecordProviderConsent(item_id, "00000099000000000099", "doc:9.2/1"),
            PROVIDER,
        )
        uow.commit()
    return case_id, item_id, subject, written


def test_an_outsider_withdrawing_a_consent_by_its_id_learns_nothing_of_it(
    disclosure_platform, deps
):
    """Art. 8.4c, ADR 0005: WithdrawConsent by a consent id answered NOT_FOUND for an unknown id
    and, for a real one, the policy's reasons naming the consent's case (a subject's consent)
    or its item (the provider's written consent): an outsider holding a consent id learned
    that it exists, of which kind, and the case or item it concerns. A party with no part in
    the consent's case that did not provide its item is now told one neutral answer for all."""
    platform, _ = disclosure_platform
    case_id, item_id, subject, written = _consents_of_a_case(disclosure_platform, deps)

    def told(consent_id: str) -> tuple:
        with platform.uow_factory() as uow, pytest.raises(ZorgtafelError) as err:
            consents.withdraw_consent(deps, uow, c.WithdrawConsent(consent_id, "doc:w/1"), OUTSIDER)
        e = err.value
        return (
            type(e).__name__,
            e.message,
            getattr(e, "decision_id", None),
            getattr(e, "policy", None),
        )

    unknown = told(f"cns-{uuid.uuid4().hex}")
    assert told(subject) == told(written) == unknown
    assert unknown[0] == "NotShared" and case_id not in unknown[1] and item_id not in unknown[1]


def test_a_colleague_without_a_part_withdrawing_a_consent_by_its_id_learns_nothing_of_it(
    disclosure_platform, deps
):
    """Art. 8.4c, 15.1, ADR 0005: need to know holds within a party too. A colleague of an
    involved party's delegate, itself with no part in the case, was told the policy's reasons
    for a real consent id (of which kind: the subject's, or the provider's written consent) but
    the neutral answer for an unknown one, so it learned that the consent exists. It is now told
    the neutral answer for all three; the delegate itself is still told the policy's reasons."""
    platform, _ = disclosure_platform
    case_id, item_id, subject, written = _consents_of_a_case(disclosure_platform, deps)
    colleague = replace(CARER, person="zorgcoordinator-9")

    def told(consent_id: str, caller: Caller) -> tuple:
        with platform.uow_factory() as uow, pytest.raises(ZorgtafelError) as err:
            consents.withdraw_consent(deps, uow, c.WithdrawConsent(consent_id, "doc:w/1"), caller)
        e = err.value
        return (
            type(e).__name__,
            e.message,
            tuple(getattr(e, "reasons", ())),
            bool(getattr(e, "decision_id", None)),
            getattr(e, "policy", None),
        )

    unknown = told(f"cns-{uuid.uuid4().hex}", colleague)
    assert told(subject, colleague) == told(written, colleague) == unknown
    assert unknown[0] == "NotShared"
    # The delegate has a part in the case: told why it may not withdraw the provider's consent.
    assert told(written, CARER)[0] == "PermissionDenied"


@pytest.mark.parametrize(
    "variant",
    ["Zorgcoordinator-2", "ZORGCOORDINATOR-2", " zorgcoordinator-2\t", "\uff5aorgcoordinator-2"],
)
def test_a_safety_override_is_refused_when_the_consulted_colleague_is_the_requester(
    disclosure_platform, deps, variant
):
    """Bijlage 3: a safety override only after consulting a colleague other than the requester.
    The colleague was compared with the requester's person id as typed, so the requester in
    another case ("Zorgcoordinator-2" for zorgcoordinator-2) passed as a colleague consulted; a
    person id is one person in any case, width or surrounding white space, and such a variant
    is now refused before anything is decided, naming the field only (not what was typed)."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id, legal_basis="consent"), PROVIDER)
        uow.commit()
    override = c.BreakGlass(
        justification="acuut gevaar",
        consulted_colleague=variant,
        client_informed="told in person",
        client_informed_status="informed",
    )
    with platform.uow_factory() as uow, pytest.raises(InvalidArgument) as refused:
        disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(
                action="read",
                purpose="care_coordination",
                item_ids=(item_id,),
                break_glass=override,
            ),
            CARER,
        )
    assert [f for f, _ in refused.value.violations] == ["consulted_colleague"]
    assert variant.strip() not in str(refused.value)
