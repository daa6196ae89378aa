# METADATA
# title: Authorisation table of the GovernanceService
# description: Who may call which governance method (art. 4-7, 11, 20, 21, 23).
# custom:
#   articles: ["art. 5.3", "art. 6.6", "art. 7.1", "art. 7.2", "art. 11.3d", "art. 20", "art. 21", "art. 23.2"]
package zorgtafel.authz

import rego.v1

everyone := {
	"process_director", "case_director", "caseworker", "front_desk", "board_member", "board_chair",
	"board_secretary", "council_delegate", "council_secretary", "manager", "privacy_officer", "auditor",
}

# art. 3, 20.3: every party knows who the parties are.
method_roles["/zorgtafel.governance.v1.GovernanceService/ListParties"] := everyone

method_roles["/zorgtafel.governance.v1.GovernanceService/GetParty"] := everyone

# art. 6.6: the partner council (with the managers) makes proposals to the board.
method_roles["/zorgtafel.governance.v1.GovernanceService/Propose"] := {"board_chair", "board_member", "board_secretary", "council_delegate", "council_secretary", "manager"}

# art. 5 (board) and art. 7.1 (partner council decides by majority of votes): members vote.
method_roles["/zorgtafel.governance.v1.GovernanceService/CastVote"] := {"board_member", "board_chair", "council_delegate"}

# art. 5.3, 7.2: an absent member's written input, recorded by the member or a secretary.
method_roles["/zorgtafel.governance.v1.GovernanceService/RecordWrittenInput"] := {"board_member", "board_chair", "council_delegate", "board_secretary", "council_secretary"}

# art. 5, 7: the chair and the secretaries record the body's decision.
method_roles["/zorgtafel.governance.v1.GovernanceService/Decide"] := {"board_chair", "board_secretary", "council_secretary"}

# art. 20.2: an organisation applies to the board via the managers.
method_roles["/zorgtafel.governance.v1.GovernanceService/ApplyAccession"] := {"manager"}

# art. 20.4: the board decides after the approval of all parties (their delegates).
method_roles["/zorgtafel.governance.v1.GovernanceService/ApproveAccession"] := {"board_chair", "board_member", "council_delegate"}

# art. 23.2: the board excludes a party; the chair or secretary records it.
method_roles["/zorgtafel.governance.v1.GovernanceService/Exclude"] := {"board_chair", "board_secretary"}

# art. 6.6: the work process is established by the partner council with the managers.
method_roles["/zorgtafel.governance.v1.GovernanceService/AdoptPolicyRevision"] := {"council_secretary", "manager"}

# art. 11.3d: the managers report yearly to the board.
method_roles["/zorgtafel.governance.v1.GovernanceService/AnnualReport"] := {"manager", "board_chair", "board_member", "board_secretary"}

# art. 20: an applicant may read its own party record (its application status).
applicant_methods["/zorgtafel.governance.v1.GovernanceService/GetParty"] := true
