from django.urls import path

from casebridge.dataprotection import views

app_name = "dataprotection"
urlpatterns = [
    path("", views.clients, name="clients"),
    path("clients/<int:client_id>/", views.client, name="client"),
    path("clients/<int:client_id>/subject-access.json", views.export_json, name="export_json"),
    path("clients/<int:client_id>/subject-access.pdf", views.export_pdf, name="export_pdf"),
    path("clients/<int:client_id>/items/<int:item_id>/withhold/", views.withhold, name="withhold"),
    path("clients/<int:client_id>/items/<int:item_id>/lift/", views.lift, name="lift"),
    path("clients/<int:client_id>/items/<int:item_id>/release/", views.release, name="release"),
    path("clients/<int:client_id>/items/<int:item_id>/unrelease/", views.unrelease, name="unrelease"),
    path("cases/<int:case_id>/transparency/", views.transparency, name="transparency"),
    path("cases/<int:case_id>/transparency.pdf", views.transparency_pdf, name="transparency_pdf"),
]
