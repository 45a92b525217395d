from django.urls import path

from casebridge.conferences import views

app_name = "conferences"
urlpatterns = [
    path("cases/<int:case_id>/convene/", views.convene, name="convene"),
    path("<int:conference_id>/", views.detail, name="detail"),
    path("<int:conference_id>/pack/", views.pack, name="pack"),
    path("<int:conference_id>/pack.pdf", views.pack_pdf, name="pack_pdf"),
    path("<int:conference_id>/attendees/<int:participant_id>/pack/", views.attendee_pack, name="attendee_pack"),
    path("<int:conference_id>/attendees/<int:participant_id>/pack.pdf", views.attendee_pack_pdf,
         name="attendee_pack_pdf"),
    path("<int:conference_id>/reply/", views.reply, name="reply"),
    path("<int:conference_id>/agenda/", views.add_agenda_item, name="agenda"),
    path("<int:conference_id>/actions/", views.set_action, name="set_action"),
    path("<int:conference_id>/attendance/", views.attendance, name="attendance"),
    path("<int:conference_id>/minutes/", views.record_minutes, name="minutes"),
    path("<int:conference_id>/minutes/approve/", views.approve_minutes, name="approve_minutes"),
    path("<int:conference_id>/advance/", views.advance, name="advance"),
    path("<int:conference_id>/cancel/", views.cancel, name="cancel"),
    path("actions/<int:action_id>/", views.update_action, name="update_action"),
    path("proposals/<int:proposal_id>/dismiss/", views.dismiss, name="dismiss"),
]
