# The authorisation table's entries for the subject access report across the services and the
# processing register maintained over gRPC (issue #14): an allow and a deny case for each.
package zorgtafel.authz_test

import rego.v1

export_subject_data := "/zorgtafel.subjectdata.v1.SubjectDataService/ExportSubjectData"

subjectdata_cases := {
	export_subject_data: {"allow": "privacy_officer", "deny": "caseworker"},
	disclosure("SubjectDataReport"): {"allow": "privacy_officer", "deny": "auditor"},
	disclosure("AddProcessingActivity"): {"allow": "privacy_officer", "deny": "manager"},
	disclosure("ChangeProcessingActivity"): {"allow": "privacy_officer", "deny": "auditor"},
	disclosure("RetireProcessingActivity"): {"allow": "privacy_officer", "deny": "process_director"},
	disclosure("ListProcessingActivityHistory"): {"allow": "auditor", "deny": "caseworker"},
}

test_subjectdata_table if {
	table_failures(subjectdata_cases) == []
}

# Disclosure relays the privacy officer's token to each service for its part of the report.
test_relayed_export_of_subject_data_is_served if {
	decide(export_subject_data, relay_by("privacy_officer", "disclosure"), null).allow == true
}

test_relayed_export_keeps_the_role_check if {
	decide(export_subject_data, relay_by("caseworker", "disclosure"), null).allow == false
}

# The report itself is asked by the person, never through a relay.
test_the_report_is_not_served_to_a_relay if {
	decide(disclosure("SubjectDataReport"), relay_by("privacy_officer", "disclosure"), null).allow == false
}
