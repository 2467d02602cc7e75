"""Issue 8 polish: on a fresh `make run` the demo coordinator (Editors group, not staff)
finds a pending affiliation request on the dashboard and can approve it."""

import pytest
from django.core.management import call_command

from network.models import Affiliation
from portal.demo import DEMO_ACCOUNTS
from portal.models import User


@pytest.mark.django_db
def test_the_demo_coordinator_sees_and_approves_the_pending_affiliation_request(client):
    call_command("load_demo")
    call_command("load_demo")  # idempotent: still one request, one coordinator
    requested = Affiliation.objects.filter(status=Affiliation.Status.REQUESTED)
    assert [(a.person.email, str(a.organisation)) for a in requested] == [
        ("soeren@raadgiver.example", "Odense Kommune")
    ]
    account = next(a for a in DEMO_ACCOUNTS if a["role"] == "coordinator")
    coordinator = User.objects.get(email=account["email"])
    assert not coordinator.is_staff and not coordinator.is_superuser
    assert list(coordinator.groups.values_list("name", flat=True)) == ["Editors"]

    login = client.submit(
        "/konto/login/?next=/admin/",
        {"login": account["email"], "password": account["password"], "next": "/admin/"},
    )
    assert login.status_code == 302  # the printed password is right
    # The demo coordinator has no second factor yet: the admin asks for one first.
    assert client.get("/admin/")["Location"].startswith("/konto/2fa/")
    client.force_login(coordinator)  # as after setting up an authenticator app
    dashboard = client.get("/admin/").content.decode()
    assert "1 anmodning om tilknytning venter på afgørelse" in dashboard

    listing = "/admin/snippets/network/affiliation/?status=requested"
    response = client.submit(
        f"/admin/bulk/network/affiliation/approve/?next={listing}&id={requested[0].pk}",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == listing
    assert not Affiliation.objects.filter(status=Affiliation.Status.REQUESTED).exists()
