from django.urls import path

from casebridge.agencies import views

app_name = "agencies"
urlpatterns = [path("", views.home, name="home")]
