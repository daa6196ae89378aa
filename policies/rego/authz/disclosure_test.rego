package zorgtafel.authz_test

import rego.v1

disclosure(rpc) := concat("", ["/zorgtafel.disclosure.v1.DisclosureService/", rpc])

disclosure_cases := {
	disclosure("Provide"): {"allow": "caseworker", "deny": "front_desk"},
	disclosure("SetUsageTerms"): {"allow": "caseworker", "deny": "auditor"},
	disclosure("Retract"): {"allow": "case_director", "deny": "manager"},
	disclosure("RequestDisclosure"): {"allow": "caseworker", "deny": "board_chair"},
	disclosure("RecordConsent"): {"allow": "caseworker", "deny": "front_desk"},
	disclosure("WithdrawConsent"): {"allow": "process_director", "deny": "auditor"},
	disclosure("BreakGlass"): {"allow": "process_director", "deny": "auditor"},
	disclosure("AccessLog"): {"allow": "privacy_officer", "deny": "front_desk"},
	disclosure("VerifyLog"): {"allow": "auditor", "deny": "process_director"},
	disclosure("ListReviews"): {"allow": "privacy_officer", "deny": "caseworker"},
	disclosure("SubjectAccessReport"): {"allow": "privacy_officer", "deny": "caseworker"},
	disclosure("SubmitSubjectRequest"): {"allow": "caseworker", "deny": "front_desk"},
	disclosure("DecideSubjectRequest"): {"allow": "privacy_officer", "deny": "case_director"},
	disclosure("ListSubjectRequests"): {"allow": "auditor", "deny": "caseworker"},
	disclosure("ListProcessingActivities"): {"allow": "manager", "deny": "front_desk"},
	disclosure("RecordBreach"): {"allow": "privacy_officer", "deny": "auditor"},
	disclosure("ListBreaches"): {"allow": "auditor", "deny": "caseworker"},
	disclosure("ExportRegister"): {"allow": "privacy_officer", "deny": "process_director"},
}

test_disclosure_table if {
	table_failures(disclosure_cases) == []
}

test_privacy_officers_and_auditors_read_the_access_log if {
	may(disclosure("AccessLog"), "privacy_officer")
	may(disclosure("AccessLog"), "auditor")
	may_not(disclosure("AccessLog"), "front_desk")
}

# Bijlage 3, NEN 7513: only the oversight roles read the access log (scoped to their own party
# as controller by zorgtafel.disclosure.control); a worker does not.
test_workers_do_not_reach_the_access_log if {
	may_not(disclosure("AccessLog"), "caseworker")
	may_not(disclosure("VerifyLog"), "caseworker")
}
