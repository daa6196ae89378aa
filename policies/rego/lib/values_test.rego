package zorgtafel.lib_test

import rego.v1

import data.zorgtafel.lib

test_object_at_gives_objects_only if {
	lib.object_at({"a": {"x": 1}}, "a") == {"x": 1}
	lib.object_at({"a": null}, "a") == {}
	lib.object_at({"a": "text"}, "a") == {}
	lib.object_at({}, "a") == {}
	lib.object_at(null, "a") == {}
}

test_array_at_gives_collections_only if {
	lib.array_at({"a": [1, 2]}, "a") == [1, 2]
	lib.array_at({"a": null}, "a") == []
	lib.array_at({"a": {"x": 1}}, "a") == []
	lib.array_at({}, "a") == []
	lib.array_at(null, "a") == []
}

test_member_shown_is_the_member_or_null if {
	lib.member_shown({"role": "caseworker"}, "role") == "caseworker"
	lib.member_shown({"role": false}, "role") == false
	lib.member_shown({"role": null}, "role") == null
	lib.member_shown({}, "role") == null
	every doc in [null, "role", 3, ["role"], true] {
		lib.member_shown(doc, "role") == null
	}
}

test_status_shown_is_the_party_status_or_unknown if {
	lib.status_shown({"party_status": "excluded"}) == "excluded"
	lib.status_shown({"party_status": ""}) == "unknown"
	lib.status_shown({"party_status": 3}) == "unknown"
	lib.status_shown({}) == "unknown"
	lib.status_shown(null) == "unknown"
}
