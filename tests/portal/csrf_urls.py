"""The portal's URLs plus a page whose login form lacks `{% csrf_token %}`: the mistake
tests/csrf.py exists to catch."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def form_without_token(request):
    return HttpResponse(
        '<!DOCTYPE html><html lang="da"><body>'
        '<form method="post" action="/konto/login/">'
        '<input name="login"><input name="password" type="password">'
        '<button type="submit">Log ind</button></form></body></html>'
    )


urlpatterns = [path("formular-uden-token/", form_without_token), *portal_urlpatterns]
