from django.urls import path

from casebridge.decisions import views

app_name = "decisions"
urlpatterns = [
    path("cases/<int:case_id>/record/", views.record, name="record"),
]
