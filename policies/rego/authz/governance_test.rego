package zorgtafel.authz_test

import rego.v1

gov(rpc) := concat("", ["/zorgtafel.governance.v1.GovernanceService/", rpc])

governance_cases := {
	gov("ListParties"): {"allow": "front_desk", "deny": "nobody"},
	gov("GetParty"): {"allow": "auditor", "deny": "nobody"},
	gov("Propose"): {"allow": "council_delegate", "deny": "caseworker"},
	gov("CastVote"): {"allow": "board_member", "deny": "manager"},
	gov("RecordWrittenInput"): {"allow": "board_secretary", "deny": "caseworker"},
	gov("Decide"): {"allow": "board_chair", "deny": "board_member"},
	gov("ApplyAccession"): {"allow": "manager", "deny": "board_chair"},
	gov("ApproveAccession"): {"allow": "council_delegate", "deny": "manager"},
	gov("Exclude"): {"allow": "board_chair", "deny": "council_delegate"},
	gov("AdoptPolicyRevision"): {"allow": "council_secretary", "deny": "caseworker"},
	gov("AnnualReport"): {"allow": "manager", "deny": "caseworker"},
	gov("GetPartyHistory"): {"allow": "auditor", "deny": "nobody"},
	gov("ListBodies"): {"allow": "council_delegate", "deny": "nobody"},
	gov("ListSeats"): {"allow": "front_desk", "deny": "nobody"},
	gov("AssignSeat"): {"allow": "party_representative", "deny": "caseworker"},
	gov("ReleaseSeat"): {"allow": "council_delegate", "deny": "front_desk"},
	gov("DesignateProcessDirector"): {"allow": "manager", "deny": "process_director"},
	gov("RevokeProcessDirector"): {"allow": "manager", "deny": "party_representative"},
	gov("ListProcessDirectors"): {"allow": "caseworker", "deny": "nobody"},
	gov("GetProposal"): {"allow": "board_member", "deny": "front_desk"},
	gov("GetAccession"): {"allow": "council_delegate", "deny": "caseworker"},
	gov("RecordAccessionSignature"): {"allow": "board_chair", "deny": "manager"},
	gov("SignAmendment"): {"allow": "council_delegate", "deny": "caseworker"},
	gov("Withdraw"): {"allow": "council_delegate", "deny": "manager"},
	gov("RecordNoticeOfDefault"): {"allow": "board_secretary", "deny": "council_delegate"},
	gov("RegisterDispute"): {"allow": "case_director", "deny": "front_desk"},
	gov("GetDispute"): {"allow": "process_director", "deny": "auditor"},
	gov("EscalateDispute"): {"allow": "process_director", "deny": "case_director"},
	gov("ResolveDispute"): {"allow": "manager", "deny": "caseworker"},
	gov("GetAdoptedPolicyRevision"): {"allow": "privacy_officer", "deny": "nobody"},
	gov("ListPolicyRevisions"): {"allow": "council_secretary", "deny": "nobody"},
	gov("ExportAnnualReport"): {"allow": "manager", "deny": "council_delegate"},
	gov("ScheduleMeeting"): {"allow": "council_secretary", "deny": "council_delegate"},
	gov("RecordAttendance"): {"allow": "board_secretary", "deny": "board_member"},
	gov("GetMeeting"): {"allow": "council_delegate", "deny": "caseworker"},
}

test_governance_table if {
	table_failures(governance_cases) == []
}

test_only_board_and_council_members_vote if {
	may(gov("CastVote"), "board_chair")
	may(gov("CastVote"), "council_delegate")
	may_not(gov("CastVote"), "process_director")
	may_not(gov("CastVote"), "board_secretary")
}

test_only_managers_apply_for_accession if {
	may(gov("ApplyAccession"), "manager")
	may_not(gov("ApplyAccession"), "process_director")
}

test_applicant_reads_own_application if {
	d := decide(gov("GetParty"), who("manager", "applicant"), {"party": "00000099000000000001"})
	d.allow == true
	some r in d.reasons
	contains(r, "art. 20")
}

test_applicant_cannot_read_other_party if {
	decide(gov("GetParty"), who("manager", "applicant"), {"party": "00000099000000000002"}).allow == false
}

test_applicant_cannot_list_parties if {
	decide(gov("ListParties"), who("manager", "applicant"), {"party": "00000099000000000001"}).allow == false
}

test_dispute_forums_may_try_escalating if {
	may(gov("EscalateDispute"), "manager")
	may(gov("EscalateDispute"), "council_secretary")
	may(gov("EscalateDispute"), "board_secretary")
	may_not(gov("EscalateDispute"), "caseworker")
	may_not(gov("EscalateDispute"), "council_delegate")
}

test_only_board_chair_or_secretary_record_notice_of_default_and_annex_1 if {
	may(gov("RecordNoticeOfDefault"), "board_chair")
	may_not(gov("RecordNoticeOfDefault"), "board_member")
	may(gov("RecordAccessionSignature"), "board_secretary")
	may_not(gov("RecordAccessionSignature"), "council_delegate")
}

test_party_representatives_appoint_seats_and_read_the_parties if {
	may(gov("AssignSeat"), "party_representative")
	may(gov("ReleaseSeat"), "party_representative")
	may(gov("ListParties"), "party_representative")
	may_not(gov("CastVote"), "party_representative")
}

test_only_managers_designate_process_directors if {
	may(gov("DesignateProcessDirector"), "manager")
	may_not(gov("DesignateProcessDirector"), "process_director")
	may_not(gov("RevokeProcessDirector"), "board_chair")
}
