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
	"party_representative",
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

# -- added by the governance service (the seat-based checks are in zorgtafel.governance) -------

# Members of the bodies: who may read proposals, accessions and seat assignments.
governance_members := {
	"board_chair", "board_member", "board_secretary", "council_delegate", "council_secretary",
	"manager",
}

# art. 20, 21.3, 23.2: every party may know a party's membership history.
method_roles["/zorgtafel.governance.v1.GovernanceService/GetPartyHistory"] := everyone

# art. 3-7, 11: the bodies and who holds their seats.
method_roles["/zorgtafel.governance.v1.GovernanceService/ListBodies"] := everyone

# art. 4.3, 6.3, 6.4, 11.2: a seat's appointing authority appoints its holder: a party's
# representative for the party's own seats, the board chair for the board secretary, the board
# secretary for the council secretary and the non-signatories' seats (zorgtafel.governance
# decides who is which). The holder, or the authority, releases it.
seat_appointers := governance_members | {"party_representative"}

method_roles["/zorgtafel.governance.v1.GovernanceService/AssignSeat"] := seat_appointers

method_roles["/zorgtafel.governance.v1.GovernanceService/ReleaseSeat"] := seat_appointers

# art. 11.2, 12.1: the managers designate the process directors (a managers seat decides, in
# zorgtafel.governance); every party may know who they are (employees, not subjects).
method_roles["/zorgtafel.governance.v1.GovernanceService/DesignateProcessDirector"] := {"manager"}

method_roles["/zorgtafel.governance.v1.GovernanceService/RevokeProcessDirector"] := {"manager"}

method_roles["/zorgtafel.governance.v1.GovernanceService/ListProcessDirectors"] := everyone

method_roles["/zorgtafel.governance.v1.GovernanceService/GetProposal"] := governance_members

method_roles["/zorgtafel.governance.v1.GovernanceService/GetAccession"] := governance_members

# art. 20.4: Annex 1 is signed by the organisation and the board chair; chair or secretary records.
method_roles["/zorgtafel.governance.v1.GovernanceService/RecordAccessionSignature"] := {"board_chair", "board_secretary"}

# art. 21.2: the parties sign the amended covenant again.
method_roles["/zorgtafel.governance.v1.GovernanceService/SignAmendment"] := {"board_chair", "board_member", "council_delegate"}

# art. 21.3, 23.1: a party withdraws in writing.
method_roles["/zorgtafel.governance.v1.GovernanceService/Withdraw"] := {"board_chair", "board_member", "council_delegate"}

# art. 23.2: the notice of default precedes an exclusion.
method_roles["/zorgtafel.governance.v1.GovernanceService/RecordNoticeOfDefault"] := {"board_chair", "board_secretary"}

# art. 11.4, 12.4, 13.4: disputes about the case director, the process director, the managers.
dispute_parties := {
	"process_director", "case_director", "caseworker", "board_chair", "board_member",
	"board_secretary", "council_delegate", "council_secretary", "manager",
}

method_roles["/zorgtafel.governance.v1.GovernanceService/RegisterDispute"] := dispute_parties

method_roles["/zorgtafel.governance.v1.GovernanceService/GetDispute"] := dispute_parties

# art. 13.4 (process director), 12.4 (managers) take a dispute further; the partner council
# and the board are ends of their chains (the service refuses going beyond them).
method_roles["/zorgtafel.governance.v1.GovernanceService/EscalateDispute"] := {"process_director", "manager", "council_secretary", "board_chair", "board_secretary"}

method_roles["/zorgtafel.governance.v1.GovernanceService/ResolveDispute"] := {"process_director", "manager", "council_secretary", "board_chair", "board_secretary"}

# art. 6.6c: a copy of the adopted work process goes to all parties.
method_roles["/zorgtafel.governance.v1.GovernanceService/GetAdoptedPolicyRevision"] := everyone

# art. 11.3d: the annual report as CSV or JSON.
method_roles["/zorgtafel.governance.v1.GovernanceService/ExportAnnualReport"] := {"manager", "board_chair", "board_member", "board_secretary"}

# art. 4.2, 4.5, 6.2, 6.7: the chair and the secretaries organise meetings and record attendance.
method_roles["/zorgtafel.governance.v1.GovernanceService/ScheduleMeeting"] := {"board_chair", "board_secretary", "council_secretary"}

method_roles["/zorgtafel.governance.v1.GovernanceService/RecordAttendance"] := {"board_chair", "board_secretary", "council_secretary"}

method_roles["/zorgtafel.governance.v1.GovernanceService/GetMeeting"] := governance_members
