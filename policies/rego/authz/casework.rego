# METADATA
# title: Authorisation table of the CaseworkService
# description: Case meetings are organised by the process director (art. 12.2c-e); the case director monitors the plan (art. 13).
# custom:
#   articles: ["art. 8.4", "art. 10.1", "art. 16.1", "art. 12.2c", "art. 12.2e", "art. 13.2", "Bijlage 2", "Bijlage 3"]
package zorgtafel.authz

import rego.v1

# art. 12.2e: the process director organises case meetings.
method_roles["/zorgtafel.casework.v1.CaseworkService/ScheduleMeeting"] := {"process_director"}

# art. 8.4a, 13.1: the meeting may appoint a case director; the process director records it
# (casework.act: only the case's process director, a person of an involved, active party).
method_roles["/zorgtafel.casework.v1.CaseworkService/AppointDirector"] := {"process_director"}

# art. 8.4b, 13.2: the plan of approach, recorded by the process or case director.
method_roles["/zorgtafel.casework.v1.CaseworkService/AdoptPlan"] := {"process_director", "case_director"}

# art. 8.4c: roles and information needs, recorded by the process director.
method_roles["/zorgtafel.casework.v1.CaseworkService/SetRoles"] := {"process_director"}

# art. 8.4d, 1.2: de-escalation decided in the meeting, recorded by the process director.
method_roles["/zorgtafel.casework.v1.CaseworkService/Deescalate"] := {"process_director"}

# Bijlage 2 (Opschaling): the care coordinators may escalate at any time.
method_roles["/zorgtafel.casework.v1.CaseworkService/Escalate"] := {"process_director"}

# art. 8.4c, Bijlage 3: front desk may see who is in care (the service returns no dossier).
method_roles["/zorgtafel.casework.v1.CaseworkService/GetCase"] := {"process_director", "case_director", "caseworker", "front_desk"}

method_roles["/zorgtafel.casework.v1.CaseworkService/WatchCase"] := {"process_director", "case_director", "caseworker"}

# art. 12.2f: invitees read the pre-read set before the meeting (disclosure decides per item).
method_roles["/zorgtafel.casework.v1.CaseworkService/GetPreReadSet"] := {"process_director", "case_director", "caseworker"}

# art. 8.4, 9.2: the process director records the meeting (attendance, minutes).
method_roles["/zorgtafel.casework.v1.CaseworkService/RecordMeeting"] := {"process_director"}

# art. 9.2: minutes are not public; casework.act lets only the process director and attendees read them.
method_roles["/zorgtafel.casework.v1.CaseworkService/GetMinutes"] := {"process_director", "case_director", "caseworker"}

# art. 8.4d: the de-escalation criteria, set in the meeting and recorded by the process director.
method_roles["/zorgtafel.casework.v1.CaseworkService/SetDeescalationCriteria"] := {"process_director"}

# art. 13.2, 8.5: the case director monitors; a party reports progress on its own actions.
method_roles["/zorgtafel.casework.v1.CaseworkService/UpdateAction"] := {"process_director", "case_director", "caseworker"}

# art. 12.2g-h, 13.2-13.3: overdue actions are flagged to the case and process directors.
method_roles["/zorgtafel.casework.v1.CaseworkService/ListOverdueActions"] := {"process_director", "case_director"}

# art. 1.2: after de-escalation the process director cleanses the dossier and closes the case.
method_roles["/zorgtafel.casework.v1.CaseworkService/CloseCase"] := {"process_director"}

# art. 1.2: after the retention period the process director purges the case.
method_roles["/zorgtafel.casework.v1.CaseworkService/Purge"] := {"process_director"}

# art. 12.2e, 16.1, 10.1: the case's process director, or a delegate of an involved party for a
# colleague of its own party, names or releases delegates (casework.act decides on the persons).
method_roles["/zorgtafel.casework.v1.CaseworkService/NameDelegate"] := {"caseworker", "case_director", "process_director"}

method_roles["/zorgtafel.casework.v1.CaseworkService/ReleaseDelegate"] := {"caseworker", "case_director", "process_director"}
