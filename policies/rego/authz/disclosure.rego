# METADATA
# title: Authorisation table of the DisclosureService
# description: >-
#   Workers provide and request information (art. 15.1, 16.2); the disclosure policy decides
#   each item. Privacy officers and auditors read and verify the access log (Bijlage 3, NEN 7513).
# custom:
#   articles: ["art. 15.1", "art. 16.2", "Bijlage 3"]
package zorgtafel.authz

import rego.v1

workers := {"caseworker", "case_director", "process_director"}

# art. 15.1: each party provides its own information.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/Provide"] := workers

# art. 16.2: the provider sets how its information may be used.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/SetUsageTerms"] := workers

method_roles["/zorgtafel.disclosure.v1.DisclosureService/Retract"] := workers

method_roles["/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure"] := workers

# Bijlage 3: consent of the client (or parent/guardian) is recorded by the worker.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/RecordConsent"] := workers

# Bijlage 3: the safety override is a worker's act after consulting a colleague.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/BreakGlass"] := workers

# Bijlage 3: a log of which employee looked into which dossier, read by privacy officers and auditors.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/AccessLog"] := {"privacy_officer", "auditor"}

method_roles["/zorgtafel.disclosure.v1.DisclosureService/VerifyLog"] := {"privacy_officer", "auditor"}
