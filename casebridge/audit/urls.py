from django.urls import path

from casebridge.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("verify/", views.verify, name="verify"),
    path("events/<int:seq>/", views.event, name="event"),
    path("cases/<int:case_id>/", views.case_report, name="case_report"),
]
