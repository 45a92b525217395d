from django.urls import path

from casebridge.network import views

app_name = "network"
urlpatterns = [
    path("cases/<int:case_id>/", views.network, name="case"),
    path("ties/<int:tie_id>/change", views.change, name="change"),
    path("ties/<int:tie_id>/end", views.end, name="end"),
]
