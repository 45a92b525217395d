from django.urls import path

from casebridge.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<int:agency_id>/", views.agency, name="agency"),
    path("agencies/<int:agency_id>/practitioners/", views.create_practitioner, name="create_practitioner"),
    path("practitioners/<int:practitioner_id>/", views.practitioner, name="practitioner"),
    path("practitioners/<int:practitioner_id>/second-factor/reset/", views.reset_second_factor,
         name="reset_second_factor"),
    path("agencies/<int:agency_id>/service-accounts/", views.create_service_account, name="create_service_account"),
    path("practitioners/<int:practitioner_id>/service-tokens/", views.issue_service_token, name="issue_service_token"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
