# Tests for the retention periods (Bijlage 3 "houdbaarheid", art. 1.2). Input keys are replaced
# one by one (see disclosure_test.rego).
package zorgtafel.retention_test

import rego.v1

periods_for(service) := r if {
	r := data.zorgtafel.retention.result with input.service as service
}

test_every_kind_has_a_valid_default_period if {
	r := data.zorgtafel.retention.result
	kinds := {
		"nomination_ended", "triage_round", "case_closed", "purged_case_marker",
		"consent", "subject_request", "access_log", "purged_request",
	}
	every kind in kinds {
		r.periods[kind] >= 1
	}
	r.invalid == []
}

test_every_period_says_why if {
	r := data.zorgtafel.retention.result
	every kind in object.keys(r.periods) {
		count(r.choices[kind]) > 0
	}
}

test_intake_gets_only_its_own_kinds if {
	r := periods_for("intake")
	object.keys(r.periods) == {"nomination_ended", "triage_round"}
}

test_casework_keeps_a_closed_case_a_year_by_default if {
	r := periods_for("casework")
	r.periods.case_closed == 31536000
	object.keys(r.periods) == {"case_closed"}
}

test_governance_keeps_a_purged_cases_marker_a_year_by_default if {
	r := periods_for("governance")
	r.periods.purged_case_marker == 31536000
	object.keys(r.periods) == {"purged_case_marker"}
	count(r.choices.purged_case_marker) > 0
}

test_unknown_service_gets_no_period if {
	r := periods_for("stranger")
	r.periods == {}
}

test_seconds_are_settable_for_tests if {
	p := {"nomination_ended": {"seconds": 2, "owner": "intake", "choice": "test"}}
	r := data.zorgtafel.retention.result with data.zorgtafel.retention.kinds as p
	r.periods.nomination_ended == 2
}

test_a_zero_period_is_refused_and_reported if {
	p := {"nomination_ended": {"seconds": 0, "owner": "intake", "choice": "typo"}}
	r := data.zorgtafel.retention.result with data.zorgtafel.retention.kinds as p
	r.periods == {}
	r.invalid == ["nomination_ended"]
}

test_a_text_period_is_refused_and_reported if {
	p := {"case_closed": {"seconds": "365d", "owner": "casework", "choice": "typo"}}
	r := data.zorgtafel.retention.result with data.zorgtafel.retention.kinds as p
	r.periods == {}
	r.invalid == ["case_closed"]
}

test_a_fractional_period_is_refused if {
	p := {"consent": {"seconds": 1.5, "owner": "disclosure", "choice": "typo"}}
	r := data.zorgtafel.retention.result with data.zorgtafel.retention.kinds as p
	r.invalid == ["consent"]
}

test_the_kernel_keeps_a_purged_requests_marker_90_days_by_default if {
	r := periods_for("kernel")
	r.periods.purged_request == 7776000
	object.keys(r.periods) == {"access_log", "purged_request"}
	count(r.choices.purged_request) > 0
}
