from django.urls import path

import portal.converters  # noqa: F401  (registers <id:...>)

from . import evaluation_views, views

app_name = "meetings"

urlpatterns = [
    path("<id:pk>/tilmeld/", views.register, name="register"),
    path("<id:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("kalender/netvaerk-<id:network_pk>.ics", views.network_feed, name="network_feed"),
    path("tilmelding/<id:pk>/afmeld/", views.cancel, name="cancel"),
    path("afmeld/<str:token>/", views.cancel_by_token, name="cancel_by_token"),
    path("tilmelding/<id:pk>/send-en-kollega/", views.send_colleague, name="send_colleague"),
    path("tilmelding/<id:pk>/tilbud/", views.offer, name="offer"),
    path("materiale/<id:pk>/", views.material, name="material"),
    path("evaluering/<str:token>/", evaluation_views.answer, name="evaluation"),
]
