from django.urls import include, path

urlpatterns = [
    path("", include("casebridge.cases.urls")),
    path("accounts/", include("casebridge.accounts.urls")),
    path("admin/", include("casebridge.agencies.urls")),
    path("audit/", include("casebridge.audit.urls")),
    path("api/", include("casebridge.api.urls")),
]
