package zorgtafel.authz_test

import rego.v1

casework(rpc) := concat("", ["/zorgtafel.casework.v1.CaseworkService/", rpc])

casework_cases := {
	casework("ScheduleMeeting"): {"allow": "process_director", "deny": "caseworker"},
	casework("AppointDirector"): {"allow": "process_director", "deny": "case_director"},
	casework("AdoptPlan"): {"allow": "case_director", "deny": "caseworker"},
	casework("SetRoles"): {"allow": "process_director", "deny": "case_director"},
	casework("Deescalate"): {"allow": "process_director", "deny": "caseworker"},
	casework("Escalate"): {"allow": "process_director", "deny": "manager"},
	casework("GetCase"): {"allow": "front_desk", "deny": "auditor"},
	casework("WatchCase"): {"allow": "caseworker", "deny": "front_desk"},
	casework("GetPreReadSet"): {"allow": "caseworker", "deny": "front_desk"},
	casework("RecordMeeting"): {"allow": "process_director", "deny": "case_director"},
	casework("GetMinutes"): {"allow": "caseworker", "deny": "front_desk"},
	casework("SetDeescalationCriteria"): {"allow": "process_director", "deny": "caseworker"},
	casework("UpdateAction"): {"allow": "caseworker", "deny": "front_desk"},
	casework("ListOverdueActions"): {"allow": "case_director", "deny": "caseworker"},
	casework("ListCasesAwaitingDirector"): {"allow": "process_director", "deny": "case_director"},
	casework("CloseCase"): {"allow": "process_director", "deny": "case_director"},
	casework("Purge"): {"allow": "process_director", "deny": "manager"},
	casework("NameDelegate"): {"allow": "caseworker", "deny": "front_desk"},
	casework("ReleaseDelegate"): {"allow": "process_director", "deny": "front_desk"},
}

test_casework_table if {
	table_failures(casework_cases) == []
}
