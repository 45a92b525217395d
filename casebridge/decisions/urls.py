from django.urls import path  # noqa: F401  (routes are added by the app's views)

app_name = "decisions"
urlpatterns: list = []
