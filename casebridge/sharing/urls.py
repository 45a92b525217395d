from django.urls import path

from casebridge.sharing import views

app_name = "sharing"
urlpatterns = [
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:agreement_id>/new-version/", views.agreement_amend, name="agreement_amend"),
    path("agreements/versions/<int:version_id>/", views.agreement_detail, name="agreement"),
    path("agreements/versions/<int:version_id>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/versions/<int:version_id>/suspend/", views.agreement_suspend, name="agreement_suspend"),
    path("agreements/versions/<int:version_id>/resume/", views.agreement_resume, name="agreement_resume"),
    path("agreements/versions/<int:version_id>/withdraw/", views.agreement_withdraw, name="agreement_withdraw"),
    path("cases/<int:case_id>/consents/", views.consents, name="consents"),
    path("cases/<int:case_id>/consents/new/", views.consent_record, name="consent_record"),
    path("cases/<int:case_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("cases/<int:case_id>/consents/<int:consent_id>/form/", views.consent_form_download,
         name="consent_form"),
    path("cases/<int:case_id>/disclosures/", views.disclosures, name="disclosures"),
    path("cases/<int:case_id>/disclosures/<int:disclosure_id>/revoke/", views.disclosure_revoke,
         name="disclosure_revoke"),
]
