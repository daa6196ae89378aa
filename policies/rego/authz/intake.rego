# METADATA
# title: Authorisation table of the IntakeService
# description: >-
#   Nomination by any party's workers; assessment and triage by the process director (art. 12.2a-b).
#   A role here is necessary for a method, never sufficient for a nomination: zorgtafel.intake.access
#   decides on the roster (designated process directors, seated managers) and the nomination's
#   own process director (art. 12.3, ADR 0005).
# custom:
#   articles: ["art. 1.1", "art. 1.15", "art. 11", "art. 12.2a", "art. 12.2b", "art. 12.3", "Bijlage 3"]
package zorgtafel.authz

import rego.v1

# art. 1.1: a party nominates a case.
method_roles["/zorgtafel.intake.v1.IntakeService/Nominate"] := {"caseworker", "case_director", "process_director"}

# art. 12.2a: only the process director assesses suitability.
method_roles["/zorgtafel.intake.v1.IntakeService/Assess"] := {"process_director"}

# art. 12.2b: the process director facilitates the triage.
method_roles["/zorgtafel.intake.v1.IntakeService/StartTriage"] := {"process_director"}

# art. 1.15: relevant parties answer the triage questions.
method_roles["/zorgtafel.intake.v1.IntakeService/AnswerTriage"] := {"caseworker", "case_director", "process_director"}

# art. 1.15, 8.4c: an asked party reads what it needs to answer (zorgtafel.intake.access
# decides whether this party was asked).
method_roles["/zorgtafel.intake.v1.IntakeService/GetTriageQuestion"] := {"caseworker", "case_director", "process_director"}

# art. 1.15, 12.2b: the routing decision is the process director's.
method_roles["/zorgtafel.intake.v1.IntakeService/DecideRouting"] := {"process_director"}

# art. 8.4c: the service filters what each reader sees.
method_roles["/zorgtafel.intake.v1.IntakeService/GetNomination"] := {"caseworker", "case_director", "process_director"}

# art. 1.1: the nominating worker or the process director withdraws a nomination.
method_roles["/zorgtafel.intake.v1.IntakeService/WithdrawNomination"] := {"caseworker", "process_director"}

# Bijlage 3: the nomination's process director records a safety override.
method_roles["/zorgtafel.intake.v1.IntakeService/RecordSafetyOverride"] := {"process_director"}

# art. 11, Bijlage 3: the managers follow up probing (zorgtafel.intake.access checks the seat).
method_roles["/zorgtafel.intake.v1.IntakeService/ListProbingFlags"] := {"manager"}
