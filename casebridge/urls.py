from django.urls import include, path

urlpatterns = [
    path("", include("casebridge.cases.urls")),
    path("accounts/", include("casebridge.accounts.urls")),
    path("admin/", include("casebridge.agencies.urls")),
    path("audit/", include("casebridge.audit.urls")),
    path("items/", include("casebridge.items.urls")),
    path("sharing/", include("casebridge.sharing.urls")),
    path("decisions/", include("casebridge.decisions.urls")),
    path("conferences/", include("casebridge.conferences.urls")),
    path("assessments/", include("casebridge.assessments.urls")),
    path("reflector/", include("casebridge.reflector.urls")),
    path("glossary/", include("casebridge.glossary.urls")),
    path("network/", include("casebridge.network.urls")),
    path("data-protection/", include("casebridge.dataprotection.urls")),
    path("search/", include("casebridge.search.urls")),
    path("api/", include("casebridge.api.urls")),
]

# Under /api/ every error answers JSON in the API's shape, whatever the method or failure.
handler400 = "casebridge.edge.bad_request"
handler403 = "casebridge.edge.forbidden"
handler404 = "casebridge.edge.not_found"
handler500 = "casebridge.edge.server_error"
