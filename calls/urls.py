from django.urls import path

from .views import complaints, desk, followups, nurse

app_name = "calls"
urlpatterns = [
    path("desk/", desk.desk, name="desk"),
    path("desk/live/", desk.desk_live, name="desk-live"),
    path("desk/state/", desk.agent_state, name="agent-state"),
    path("contacts/new/", desk.log_contact, name="log-contact"),
    path("contacts/<int:pk>/", desk.contact_detail, name="contact"),
    path("contacts/<int:pk>/identify/", desk.identify, name="identify"),
    path("contacts/<int:pk>/wrap-up/", desk.wrap_up, name="wrap-up"),
    path("nurse/", nurse.nurse_desk, name="nurse-desk"),
    path("nurse/calls/<int:contact_id>/triage/", nurse.triage_new, name="triage-new"),
    path("nurse/triages/<int:pk>/", nurse.triage_detail, name="triage-detail"),
    path("follow-ups/", followups.follow_up_list, name="follow-ups"),
    path("follow-ups/new/", followups.follow_up_new, name="follow-up-new"),
    path("follow-ups/escalated/", followups.follow_up_escalations, name="follow-up-escalations"),
    path("follow-ups/<int:pk>/complete/", followups.follow_up_complete, name="follow-up-complete"),
    path("follow-ups/<int:pk>/cancel/", followups.follow_up_cancel, name="follow-up-cancel"),
    path("follow-ups/<int:pk>/reassign/", followups.follow_up_reassign, name="follow-up-reassign"),
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/export.csv", complaints.complaint_export, name="complaint-export"),
    path("complaints/report/", complaints.complaint_report, name="complaint-report"),
    path("complaints/new/", complaints.complaint_new, name="complaint-new"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/<slug:action>/", complaints.complaint_action, name="complaint-action"),
]
