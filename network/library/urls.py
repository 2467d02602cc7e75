"""Mounted at /aftaler/ by portal/urls.py. Page routes (questionnaire, library, overview)
live on the page models; these are the file downloads, the consent withdrawal and the
parties' consent page (a signed link)."""

from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("dokument/<int:pk>/", views.download_agreement, name="agreement_document"),
    path("materiale/<int:pk>/", views.download_resource_document, name="resource_document"),
    path(
        "svar/<int:pk>/traek-samtykke-tilbage/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("samtykke/<str:token>/", views.party_consent, name="consent"),
]
