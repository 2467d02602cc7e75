from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("<int:pk>/tilmeld/", views.register, name="register"),
    path("<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("kalender/netvaerk-<int:network_pk>.ics", views.network_feed, name="network_feed"),
    path("tilmelding/<int:pk>/afmeld/", views.cancel, name="cancel"),
    path("afmeld/<str:token>/", views.cancel_by_token, name="cancel_by_token"),
    path("materiale/<int:pk>/", views.material, name="material"),
]
