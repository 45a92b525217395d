from django.urls import path

from casebridge.glossary import views

app_name = "glossary"
urlpatterns = [
    path("", views.index, name="index"),
    path("legend/", views.legend, name="legend"),
    path("categorisations/", views.categorisations_page, name="categorisations"),
]
