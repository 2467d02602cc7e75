"""Mounted at /aftaler/ by portal/urls.py. Page routes (questionnaire, library, overview)
live on the page models; these are the file downloads, the consent withdrawal and the
parties' consent page (a signed link)."""

from django.urls import path

import portal.converters  # noqa: F401  (registers <id:...>)

from . import views

app_name = "library"

urlpatterns = [
    path("dokument/<id:pk>/", views.download_agreement, name="agreement_document"),
    path("materiale/<id:pk>/", views.download_resource_document, name="resource_document"),
    path(
        "svar/<id:pk>/traek-samtykke-tilbage/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("samtykke/<str:token>/", views.party_consent, name="consent"),
]
