from django.urls import path

import portal.converters  # noqa: F401  (registers <id:...>)

from . import views

app_name = "network"

urlpatterns = [
    path("tilmelding/", views.signup, name="signup"),
    path("tilmelding/<id:pk>/", views.signup_done, name="signup_done"),
    path("tilknytning/", views.join, name="join"),
    path("tilknytning/<id:pk>/afgoer/", views.decide, name="decide"),
    path("tilknytning/<id:pk>/medlemsoversigt/", views.directory_listing, name="listing"),
    path("<id:pk>/medlemmer/", views.directory, name="directory"),
]

urlpatterns += [
    path("forny/<str:token>/", views.renew, name="renew"),
    path("forny/<str:token>/opsig/", views.renew_cancel, name="renew_cancel"),
]
