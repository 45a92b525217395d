from django.urls import path

from casebridge.glossary import views

app_name = "glossary"
urlpatterns = [
    path("", views.index, name="index"),
    path("categorisations/", views.categorisations_page, name="categorisations"),
]
