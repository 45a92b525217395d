from django.urls import path

from casebridge.items import views, views_manage

app_name = "items"
urlpatterns = [
    path("<int:item_id>/", views.item_detail, name="detail"),
    path("<int:item_id>/readers/", views.readers, name="readers"),
    path("<int:item_id>/amend/", views_manage.amend, name="amend"),
    path("<int:item_id>/derive/", views_manage.derive, name="derive"),
    path("<int:item_id>/retract/", views_manage.retract, name="retract"),
    path("<int:item_id>/disclose/", views_manage.disclose, name="disclose"),
    path("<int:item_id>/revoke/", views_manage.revoke, name="revoke"),
    path("<int:item_id>/attachments/", views_manage.attach, name="attach"),
    path("attachments/<int:attachment_id>/", views.download, name="download"),
    path("cases/<int:case_id>/record/", views_manage.record, name="record"),
    path("cases/<int:case_id>/preview/", views.preview, name="preview"),
    path("cases/<int:case_id>/audience/", views_manage.audience, name="audience"),
]
