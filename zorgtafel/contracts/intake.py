"""Events on ``zorgtafel.intake.v1`` (key: case_id). ``age_band`` is one of ``under_12``,
``12_to_16``, ``16_plus``, ``unknown``: the only age fact the consent rules need."""

_NS = "nl.zorgtafel.intake"

# data: case_id, subject_pseudonym, nominating_party, age_band, nominated_at
CASE_NOMINATED = f"{_NS}.case.nominated.v1"
# data: case_id, qualifies (bool), advice ("qualifies"|"does_not_qualify"), criteria_held [..]
CASE_ASSESSED = f"{_NS}.case.assessed.v1"
# data: case_id, subject_pseudonym, nominating_party, age_band, routing
#       ("case_meeting"|"regular_care"|"zvh_brabant_zuidoost"|"zvh_brabant_noordoost"),
#       goal_code, themes [..], decision_types [..], invitees [OIN..], process_director_party
CASE_TRIAGED = f"{_NS}.case.triaged.v1"
# data: case_id, nominating_party, reason_code
CASE_REJECTED = f"{_NS}.case.rejected.v1"
# data: case_id, nominating_party
NOMINATION_WITHDRAWN = f"{_NS}.nomination.withdrawn.v1"
