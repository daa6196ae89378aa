package zorgtafel.authz_test

import rego.v1

intake(rpc) := concat("", ["/zorgtafel.intake.v1.IntakeService/", rpc])

intake_cases := {
	intake("Nominate"): {"allow": "caseworker", "deny": "auditor"},
	intake("Assess"): {"allow": "process_director", "deny": "caseworker"},
	intake("StartTriage"): {"allow": "process_director", "deny": "case_director"},
	intake("AnswerTriage"): {"allow": "caseworker", "deny": "front_desk"},
	intake("GetTriageQuestion"): {"allow": "case_director", "deny": "auditor"},
	intake("DecideRouting"): {"allow": "process_director", "deny": "caseworker"},
	intake("GetNomination"): {"allow": "case_director", "deny": "front_desk"},
	intake("WithdrawNomination"): {"allow": "caseworker", "deny": "manager"},
	intake("RecordSafetyOverride"): {"allow": "process_director", "deny": "caseworker"},
	intake("ListProbingFlags"): {"allow": "manager", "deny": "process_director"},
	intake("ListNominations"): {"allow": "process_director", "deny": "caseworker"},
}

test_intake_table if {
	table_failures(intake_cases) == []
}

test_only_process_director_assesses_and_triages if {
	may(intake("Assess"), "process_director")
	may_not(intake("Assess"), "case_director")
	may_not(intake("StartTriage"), "manager")
}

test_triage_question_readers if {
	may(intake("GetTriageQuestion"), "caseworker")
	may(intake("GetTriageQuestion"), "process_director")
	may_not(intake("GetTriageQuestion"), "front_desk")
	may_not(intake("GetTriageQuestion"), "manager")
}

test_only_managers_list_probing_flags if {
	may(intake("ListProbingFlags"), "manager")
	may_not(intake("ListProbingFlags"), "caseworker")
	may_not(intake("ListProbingFlags"), "privacy_officer")
}
