from django.urls import path

from casebridge.cases import views, views_manage

app_name = "cases"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/open/", views.open_case, name="open"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/contact-options/", views.contact_options, name="contact_options"),
    path("cases/<int:case_id>/phase/", views_manage.transition, name="transition"),
    path("cases/<int:case_id>/key-dates/", views_manage.key_dates, name="key_dates"),
    path("cases/<int:case_id>/client/", views_manage.edit_client, name="edit_client"),
    path("cases/<int:case_id>/members/", views_manage.add_membership, name="add_membership"),
    path("cases/<int:case_id>/members/end/", views_manage.end_membership, name="end_membership"),
    path("cases/<int:case_id>/members/discreet/", views_manage.set_discreet, name="set_discreet"),
    path("cases/<int:case_id>/team/", views_manage.assign, name="assign"),
    path("cases/<int:case_id>/team/release/", views_manage.release, name="release"),
    path("cases/<int:case_id>/liaison/", views_manage.liaison, name="liaison"),
]
