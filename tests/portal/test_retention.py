"""Retention, by the scheduled `apply_retention` command: registrations of meetings older
than REGISTRATION_RETENTION_MONTHS (24) are anonymised, accounts never confirmed within
30 days are deleted; idempotent and logged. Time is frozen with time-machine."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from meetings.factories import MeetingPageFactory, RegistrationFactory, VenueFactory
from meetings.models import Registration
from meetings.services import retention_cutoff
from network.factories import MunicipalityFactory, NetworkPageFactory
from portal.factories import UserFactory
from portal.models import User

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
NOW = datetime.datetime(2026, 6, 15, 3, 30, tzinfo=CPH)


def months_ago(months: int, days: int = 0) -> datetime.datetime:
    year, month = divmod(NOW.year * 12 + NOW.month - 1 - months, 12)
    return NOW.replace(year=year, month=month + 1) - datetime.timedelta(days=days)


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page)


def meeting_ended(network, when):
    return MeetingPageFactory(
        parent=network,
        venue=VenueFactory(),
        start=when - datetime.timedelta(hours=5),
        end=when,
    )


def run() -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("apply_retention", stdout=out)
    return out.getvalue()


def unconfirmed(days_old: int, **kwargs) -> User:
    person = UserFactory(**kwargs)
    person.date_joined = NOW - datetime.timedelta(days=days_old)
    person.save(update_fields=["date_joined"])
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    return person


def test_old_registrations_are_anonymised_and_the_figures_stay(network):
    organisation = MunicipalityFactory()
    old = meeting_ended(network, months_ago(24, days=1))
    recent = meeting_ended(network, months_ago(24) + datetime.timedelta(days=1))
    old_rows = [
        RegistrationFactory(
            meeting=old, organisation=organisation, dietary_needs="Glutenfri", attended_at=old.end
        ),
        RegistrationFactory(meeting=old, organisation=organisation),
        RegistrationFactory(
            meeting=old, status=Registration.Status.CANCELLED, confirmed_at=None, attended_at=None
        ),
    ]
    kept = RegistrationFactory(meeting=recent, dietary_needs="Vegetar")

    assert "Anonymised 3 registration(s)" in run()

    for row in old_rows:
        row.refresh_from_db()
        assert row.person is None
        assert row.dietary_needs == ""
        assert row.anonymised_at == NOW
    assert old.registrations.filter(status="confirmed").count() == 2
    assert old.registrations.filter(attended_at__isnull=False).count() == 1
    assert old_rows[0].organisation == organisation
    kept.refresh_from_db()
    assert kept.person is not None and kept.dietary_needs == "Vegetar"

    entries = ModelLogEntry.objects.filter(action="meetings.registration.anonymised")
    assert entries.count() == 3
    assert all(e.user_id is None and e.data == {"reason": "retention"} for e in entries)

    # A second run finds nothing: no change, no new entries.
    assert "Anonymised 0 registration(s)" in run()
    assert entries.count() == 3


def test_the_retention_period_is_a_setting(network, settings):
    settings.REGISTRATION_RETENTION_MONTHS = 12
    row = RegistrationFactory(meeting=meeting_ended(network, months_ago(13)))
    run()
    row.refresh_from_db()
    assert row.person is None


def test_unconfirmed_accounts_older_than_30_days_are_deleted(db):
    stale = unconfirmed(31, email="glemt@example.org")
    fresh = unconfirmed(29, email="ny@example.org")
    staff = unconfirmed(90, email="medarbejder@example.org", is_staff=True)
    by_hand = UserFactory(email="oprettet@example.org")  # no allauth address record
    by_hand.date_joined = NOW - datetime.timedelta(days=90)
    by_hand.save(update_fields=["date_joined"])
    confirmed = UserFactory(verified=True, email="bekraeftet@example.org")
    confirmed.date_joined = NOW - datetime.timedelta(days=90)
    confirmed.save(update_fields=["date_joined"])
    # An old account that confirmed its second address only is confirmed.
    second = unconfirmed(90, email="to@example.org")
    EmailAddress.objects.create(user=second, email="to@andet.example", verified=True)

    assert "deleted 1 unconfirmed account(s)" in run()

    assert not User.objects.filter(pk=stale.pk).exists()
    for kept in (fresh, staff, by_hand, confirmed, second):
        assert User.objects.filter(pk=kept.pk).exists(), kept.email
    deleted = ModelLogEntry.objects.filter(action="portal.account.deleted")
    assert deleted.count() == 1
    assert deleted.get().data["reason"] == "unconfirmed"
    assert deleted.get().user_id is None
    assert "glemt" not in deleted.get().label

    assert "deleted 0 unconfirmed account(s)" in run()
    assert deleted.count() == 1


def test_the_task_does_the_same_as_the_command(db):
    from portal.tasks import apply_retention

    unconfirmed(31)
    with time_machine.travel(NOW, tick=False):
        result = apply_retention.enqueue()
    assert result.return_value == {
        "registrations_anonymised": 0,
        "accounts_deleted": 1,
        "emails_deleted": 0,
    }


@pytest.mark.parametrize(
    ("now", "months", "cutoff"),
    [
        (datetime.datetime(2026, 6, 15, tzinfo=CPH), 24, datetime.datetime(2024, 6, 15)),
        (datetime.datetime(2026, 3, 31, tzinfo=CPH), 1, datetime.datetime(2026, 2, 28)),
        (datetime.datetime(2026, 1, 10, tzinfo=CPH), 13, datetime.datetime(2024, 12, 10)),
    ],
)
def test_retention_cutoff_counts_calendar_months(settings, now, months, cutoff):
    settings.REGISTRATION_RETENTION_MONTHS = months
    assert retention_cutoff(now).replace(tzinfo=None) == cutoff


def test_staff_screens_show_an_anonymised_participant(client, network):
    meeting = meeting_ended(network, months_ago(30))
    row = RegistrationFactory(meeting=meeting, attended_at=meeting.end)
    name = row.person.get_full_name()
    run()
    client.force_login(UserFactory(verified=True, is_staff=True, is_superuser=True))
    for url in (
        f"/admin/meetings/registrations/?meeting={meeting.pk}",
        f"/admin/meetings/{meeting.pk}/participants/",
        f"/admin/meetings/registrations/door/{meeting.pk}/",
        f"/admin/meetings/registrations/history/{row.pk}/",
    ):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert "Anonymiseret deltager" in body, url
        assert name not in body, url
