from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("tilmelding/", views.signup, name="signup"),
    path("tilmelding/<int:pk>/", views.signup_done, name="signup_done"),
    path("tilknytning/", views.join, name="join"),
    path("tilknytning/<int:pk>/afgoer/", views.decide, name="decide"),
    path("tilknytning/<int:pk>/medlemsoversigt/", views.directory_listing, name="listing"),
    path("<int:pk>/medlemmer/", views.directory, name="directory"),
]
