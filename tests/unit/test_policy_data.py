"""Each package's interpreter holds only the data its rules can read (issue #16: the whole data
document in every interpreter cost each service 1-2 MB per package). Leaving out data a rule
reads would change a decision, so the cut errs toward keeping: every path the code names, its
package's own path, everything when the code names ``data`` as a whole."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from zorgtafel.policy import sources
from zorgtafel.policy.embedded import EmbeddedEngine
from zorgtafel.policy.sources import Module, readable_data

DOCUMENT = {
    "zorgtafel": {
        "authz": {"method_roles": {"Nominate": ["delegate"]}, "open": ["Ping"]},
        "retention": {"kinds": {"nomination": {"days": 90}}},
        "labels": {"nl": "Zoë"},
    }
}


def module(package: str, body: str) -> Module:
    return Module(f"{package}.rego", package, f"package {package}\n\n{body}\n")


def test_a_package_gets_the_paths_its_code_names_and_its_own_and_nothing_else():
    mods = [
        module("zorgtafel.authz", "allow if data.zorgtafel.authz.method_roles[input.m]"),
        module("zorgtafel.lib", "trim(x) := trim_space(x)"),
    ]
    assert readable_data(DOCUMENT, mods) == {"zorgtafel": {"authz": DOCUMENT["zorgtafel"]["authz"]}}
    rules_only = [module("zorgtafel.intake", 'allow if data.zorgtafel.lib.trim(input.x) != ""')]
    assert readable_data(DOCUMENT, rules_only) == {}


def test_names_in_strings_and_comments_are_not_reads():
    mods = [
        module(
            "zorgtafel.intake",
            "# reads data.zorgtafel.retention.kinds? no\n"
            'msg := "see data.zorgtafel.labels and data[x]"\n'
            "raw := `data.zorgtafel.authz`",
        )
    ]
    assert readable_data(DOCUMENT, mods) == {}


def test_data_as_a_whole_or_a_computed_key_keeps_everything_it_may_reach():
    whole = [module("zorgtafel.intake", "all := data")]
    assert readable_data(DOCUMENT, whole) == DOCUMENT
    indexed = [module("zorgtafel.intake", "kind := data[input.root]")]
    assert readable_data(DOCUMENT, indexed) == DOCUMENT
    computed = [module("zorgtafel.intake", "v := data.zorgtafel[input.pkg].kinds")]
    assert readable_data(DOCUMENT, computed) == DOCUMENT
    spaced = [module("zorgtafel.intake", "v := data .zorgtafel.labels")]
    assert readable_data(DOCUMENT, spaced) == DOCUMENT


def test_a_path_past_a_value_reads_that_value_and_the_document_is_never_changed():
    before = copy.deepcopy(DOCUMENT)
    mods = [
        module("zorgtafel.intake", "x := data.zorgtafel.labels.nl.first"),
        module("zorgtafel.retention", "y := data.zorgtafel.retention.kinds.nomination.days"),
    ]
    cut = readable_data(DOCUMENT, mods)
    assert cut == {
        "zorgtafel": {
            "labels": {"nl": "Zoë"},
            "retention": DOCUMENT["zorgtafel"]["retention"],
        }
    }
    cut["zorgtafel"]["labels"]["extra"] = 1  # a fresh dict, not the document's
    assert DOCUMENT == before


def test_the_engine_decides_alike_with_its_cut_data(tmp_path: Path):
    """A rule reading its own data, another package's by a named path and by a computed key."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "a.rego").write_text(
        "package zorgtafel.a\n\n"
        "import rego.v1\n\n"
        "own := data.zorgtafel.a.limit\n"
        "named := data.zorgtafel.b.names[input.i]\n"
        "computed := data.zorgtafel[input.pkg].names[0]\n"
    )
    (tmp_path / "a" / "data.json").write_text(json.dumps({"limit": 3}))
    (tmp_path / "b" / "b.rego").write_text("package zorgtafel.b\n\nimport rego.v1\n\nx := 1\n")
    (tmp_path / "b" / "data.json").write_text(json.dumps({"names": ["Zoë", "Ömer"]}))
    engine = EmbeddedEngine(tmp_path, timeout_s=30.0, workers=1)
    try:
        probe = {"i": 1, "pkg": "b"}
        for rule, expected in (("own", 3), ("named", "Ömer"), ("computed", "Zoë")):
            defined, value, _ = engine._query("zorgtafel.a", rule, probe)
            assert (defined, value) == (True, expected), rule
    finally:
        engine.close()


def test_the_project_s_data_goes_only_to_the_packages_that_read_it():
    policy_dir = sources.default_policy_dir()
    mods = sources.modules(policy_dir)
    document = sources.data_document(policy_dir)
    authz = readable_data(document, sources.closure(mods, ["zorgtafel.authz"]))
    assert authz["zorgtafel"]["authz"] == document["zorgtafel"]["authz"]
    retention = readable_data(document, sources.closure(mods, ["zorgtafel.retention"]))
    assert retention == {"zorgtafel": {"retention": document["zorgtafel"]["retention"]}}
