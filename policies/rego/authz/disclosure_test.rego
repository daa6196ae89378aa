package zorgtafel.authz_test

import rego.v1

disclosure(rpc) := concat("", ["/zorgtafel.disclosure.v1.DisclosureService/", rpc])

disclosure_cases := {
	disclosure("Provide"): {"allow": "caseworker", "deny": "front_desk"},
	disclosure("SetUsageTerms"): {"allow": "caseworker", "deny": "auditor"},
	disclosure("Retract"): {"allow": "case_director", "deny": "manager"},
	disclosure("RequestDisclosure"): {"allow": "caseworker", "deny": "board_chair"},
	disclosure("RecordConsent"): {"allow": "caseworker", "deny": "front_desk"},
	disclosure("BreakGlass"): {"allow": "process_director", "deny": "auditor"},
	disclosure("AccessLog"): {"allow": "privacy_officer", "deny": "caseworker"},
	disclosure("VerifyLog"): {"allow": "auditor", "deny": "process_director"},
}

test_disclosure_table if {
	table_failures(disclosure_cases) == []
}

test_privacy_officers_and_auditors_read_the_access_log if {
	may(disclosure("AccessLog"), "privacy_officer")
	may(disclosure("AccessLog"), "auditor")
	may_not(disclosure("AccessLog"), "process_director")
}
