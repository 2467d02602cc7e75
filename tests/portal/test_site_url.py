"""`make run PORT=8101` serves a site whose e-mails, calendar files and sitemap link to
port 8101, not to the default 8000 (issue 8, item 5)."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from meetings import services as meeting_services
from meetings.models import MeetingPage
from network import services as network_services
from network.models import Membership, NetworkPage, Organisation
from portal import emails
from portal.models import User

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"https?://[^\s\"'<>)]+")


def make_run_dry(**variables: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    env.update(variables)
    result = subprocess.run(  # noqa: S603 - our own Makefile, dry run
        ["make", "-n", "run", *(f"{k}={v}" for k, v in variables.items() if k != "SITE_URL")],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if "manage.py" in line]


def test_make_run_gives_load_demo_and_the_server_the_address_of_its_port():
    lines = make_run_dry(PORT="8101")
    served = [line for line in lines if "runserver" in line]
    demo = [line for line in lines if "load_demo" in line and "--print-accounts" not in line]
    assert served == [
        "SITE_URL=http://127.0.0.1:8101 .venv/bin/python manage.py runserver 127.0.0.1:8101"
    ]
    assert demo == ["SITE_URL=http://127.0.0.1:8101 .venv/bin/python manage.py load_demo"]


def test_an_explicit_site_url_wins_for_both():
    lines = make_run_dry(PORT="8101", SITE_URL="https://erfa.example")
    assert all("SITE_URL=https://erfa.example " in line for line in lines if "runserver" in line)
    assert all(
        "SITE_URL=https://erfa.example " in line
        for line in lines
        if "load_demo" in line and "--print-accounts" not in line
    )


def links(message) -> list[str]:
    parts = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    parts += [a[1] for a in message.attachments if isinstance(a, tuple) and isinstance(a[1], str)]
    # ICS folds long lines at 75 octets with CRLF + space.
    return URL.findall("\n".join(parts).replace("\r\n ", ""))


@pytest.mark.django_db
def test_mail_sent_under_port_8101_links_to_8101(django_capture_on_commit_callbacks):
    with override_settings(SITE_URL="http://127.0.0.1:8000"):
        call_command("load_demo", verbosity=0)
    with override_settings(SITE_URL="http://127.0.0.1:8101"):
        call_command("load_demo", verbosity=0)
        site = Site.objects.get(is_default_site=True)
        assert (site.hostname, site.port) == ("127.0.0.1", 8101)

        mail.outbox.clear()
        network = NetworkPage.objects.live().first()
        esbjerg = Organisation.objects.get(municipality_code="561")
        eva = User.objects.get(email="boligchef@esbjerg.dk")
        year = network_services.allowed_signup_years()[0]
        with django_capture_on_commit_callbacks(execute=True):
            network_services.sign_up(
                person=eva,
                organisation=esbjerg,
                network=network,
                year=year,
                ean="5798000000056",
                invoice_contact_name="Eva Esbjerg",
                invoice_contact_email="faktura@esbjerg.dk",
                accept_terms=True,
            )
        member = User.objects.get(email="medlem@aarhus.dk")
        aarhus = Organisation.objects.get(municipality_code="751")
        meeting = (
            MeetingPage.objects.live()
            .filter(start__gt=timezone.now())
            .exclude(registrations__person=member)
            .order_by("start")
            .first()
        )
        with django_capture_on_commit_callbacks(execute=True):
            meeting_services.register(meeting=meeting, person=member, organisation=aarhus)
            # The trial offer in the sign-up receipt (sent when signing up for next year).
            emails.send_on_commit(
                subject="Prøvemøde",
                template="network/email/membership_applied.txt",
                context={
                    "membership": Membership.objects.get(organisation=esbjerg),
                    "trial_offer": network_services.TrialOffer(meeting=meeting, url=meeting.url),
                },
                recipients=[eva.email],
            )

    subjects = [m.subject for m in mail.outbox]
    assert len(mail.outbox) >= 4, subjects  # receipt, staff notice, registration, trial
    trial = mail.outbox[-1].body
    assert f"http://127.0.0.1:8101{meeting.url}" in trial
    found = [url for message in mail.outbox for url in links(message)]
    assert any("/afmeld" in url or "cancel" in url for url in found), found
    ours = [url for url in found if "openstreetmap.org" not in url]  # the venue's map
    assert len(ours) >= 6, found
    wrong = [url for url in ours if not url.startswith("http://127.0.0.1:8101/")]
    assert not wrong, wrong
