from django.urls import path

from casebridge.assessments import views

app_name = "assessments"
urlpatterns = [
    path("crosswalk/", views.crosswalk, name="crosswalk"),
    path("cases/<int:case_id>/", views.side_by_side, name="case"),
    path("cases/<int:case_id>/chart.svg", views.chart, name="chart"),
]
