"""Events on ``zorgtafel.disclosure.v1`` (key: case_id). Never item content."""

_NS = "nl.zorgtafel.disclosure"

# data: item_id, case_id, provider, category
ITEM_PROVIDED = f"{_NS}.item.provided.v1"
# data: item_id, case_id, provider
ITEM_RETRACTED = f"{_NS}.item.retracted.v1"
# data: decision_id, case_id, item_id, provider, recipient_party, purpose,
#       result ("allowed"|"denied"|"break_glass"), policy_revision, decided_at
DISCLOSURE_DECIDED = f"{_NS}.disclosure.decided.v1"
# data: decision_id, case_id, item_id, provider, recipient_party (the provider is notified)
BREAK_GLASS_USED = f"{_NS}.break_glass.used.v1"
