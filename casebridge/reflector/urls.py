from django.urls import path

from casebridge.reflector import views

app_name = "reflector"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_reflectors, name="case"),
    path("<int:reflector_id>/", views.detail, name="detail"),
    path("<int:reflector_id>/sessions/new/", views.new_session, name="new_session"),
    path("<int:reflector_id>/goals/", views.add_goal, name="add_goal"),
    path("goals/<int:goal_id>/status/", views.goal_status, name="goal_status"),
    path("<int:reflector_id>/share/", views.share, name="share"),
    path("<int:reflector_id>/chart.svg", views.chart, name="chart"),
]
