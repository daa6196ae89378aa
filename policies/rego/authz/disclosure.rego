# METADATA
# title: Authorisation table of the DisclosureService
# description: >-
#   Workers provide and request information (art. 15.1, 16.2); the disclosure policy decides
#   each item. Privacy officers and auditors read and verify the access log (Bijlage 3, NEN 7513).
#   Which provider or party a worker may query the log for, and who may change an item's terms,
#   is decided per resource by zorgtafel.disclosure.control.
# custom:
#   articles: ["art. 15.1", "art. 16.2", "Bijlage 3"]
package zorgtafel.authz

import rego.v1

workers := {"caseworker", "case_director", "process_director"}

log_readers := {"privacy_officer", "auditor"}

# art. 15.1: each party provides its own information.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/Provide"] := workers

# art. 16.2: the provider sets how its information may be used.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/SetUsageTerms"] := workers

method_roles["/zorgtafel.disclosure.v1.DisclosureService/Retract"] := workers

method_roles["/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure"] := workers

# Bijlage 3: consent of the client (or parent/guardian) is recorded by the worker.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/RecordConsent"] := workers

# Bijlage 3: the subject's withdrawal of a consent is recorded by the worker (who may, per case,
# is decided by zorgtafel.disclosure.control).
method_roles["/zorgtafel.disclosure.v1.DisclosureService/WithdrawConsent"] := workers

# Bijlage 3: the safety override is a worker's act after consulting a colleague.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/BreakGlass"] := workers

# Bijlage 3: a log of which employee looked into which dossier, read by privacy officers and
# auditors; a worker may ask who used its own party's information (art. 16.2), which
# zorgtafel.disclosure.control decides per query.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/AccessLog"] := log_readers

method_roles["/zorgtafel.disclosure.v1.DisclosureService/VerifyLog"] := log_readers

# Bijlage 3: every safety override is reviewed by the privacy officer.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/ListReviews"] := log_readers

# Bijlage 3: the data subject's rights of access, correction and erasure, handled by the
# privacy officer (FG/DPO); a worker may pass on a subject's request.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/SubjectAccessReport"] := {"privacy_officer"}

method_roles["/zorgtafel.disclosure.v1.DisclosureService/SubmitSubjectRequest"] := {"privacy_officer"} | workers

method_roles["/zorgtafel.disclosure.v1.DisclosureService/DecideSubjectRequest"] := {"privacy_officer"}

method_roles["/zorgtafel.disclosure.v1.DisclosureService/ListSubjectRequests"] := log_readers

# Bijlage 3: the register of processing activities is open to everyone who works with the data.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/ListProcessingActivities"] := log_readers | workers | {"manager"}

# Bijlage 3: the data-breach procedure and register belong to the privacy officer.
method_roles["/zorgtafel.disclosure.v1.DisclosureService/RecordBreach"] := {"privacy_officer"}

method_roles["/zorgtafel.disclosure.v1.DisclosureService/ListBreaches"] := log_readers

method_roles["/zorgtafel.disclosure.v1.DisclosureService/ExportRegister"] := log_readers
