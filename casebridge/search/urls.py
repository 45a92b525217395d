from django.urls import path

from casebridge.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("lookup/", views.lookup, name="lookup"),
]
