from django.urls import path

from casebridge.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/open/", views.open_case, name="open"),
]
