"""The portal's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def fail(request):
    raise RuntimeError("A bug the visitor should never see the details of.")


urlpatterns = [path("fejl/", fail), *portal_urlpatterns]
