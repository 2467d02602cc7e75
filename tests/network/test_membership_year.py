"""The membership year (issue 11): member status with the grace period, asked one way
through the querysets, on every surface."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from network.fields import MonthDayFormField
from network.models import Membership, Organisation
from tests.form_markup import check_form_page


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page, title="Boligsocialt Netværk")


def member(person, network, on):
    return Organisation.objects.verified_for(person).members_of(network, on=on).exists()


def test_grace_keeps_access_to_the_networks_grace_end_while_the_renewal_is_missing(network):
    org = MunicipalityFactory()
    person = AffiliationFactory(organisation=org).person
    MembershipFactory(organisation=org, network=network, year=2026)

    assert member(person, network, datetime.date(2026, 12, 31))
    assert member(person, network, datetime.date(2027, 1, 1))
    assert member(person, network, datetime.date(2027, 1, 31))
    assert not member(person, network, datetime.date(2027, 2, 1))
    assert list(Organisation.objects.in_grace_of(network, on=datetime.date(2027, 1, 15))) == [org]
    # Not active in 2027, only in grace.
    assert not Membership.objects.active_on(datetime.date(2027, 1, 15)).exists()

    network.grace_end = "02-15"
    network.save()
    assert member(person, network, datetime.date(2027, 2, 15))
    assert not member(person, network, datetime.date(2027, 2, 16))


def test_grace_also_after_the_rollover_ended_last_years_row(network):
    org = MunicipalityFactory()
    person = AffiliationFactory(organisation=org).person
    MembershipFactory(organisation=org, network=network, year=2026, status=Membership.Status.ENDED)
    assert member(person, network, datetime.date(2026, 6, 1))  # an ended year still counts
    assert member(person, network, datetime.date(2027, 1, 10))
    assert not member(person, network, datetime.date(2027, 2, 10))


def test_no_grace_when_cancelled_or_renewed_and_an_applied_renewal_keeps_it(network):
    cancelled, renewed, waiting = (
        MunicipalityFactory(),
        MunicipalityFactory(),
        MunicipalityFactory(),
    )
    for org in (cancelled, renewed, waiting):
        MembershipFactory(organisation=org, network=network, year=2026)
    MembershipFactory(
        organisation=cancelled, network=network, year=2027, status=Membership.Status.CANCELLED
    )
    MembershipFactory(organisation=renewed, network=network, year=2027)
    MembershipFactory(
        organisation=waiting, network=network, year=2027, status=Membership.Status.APPLIED
    )
    on = datetime.date(2027, 1, 10)
    assert set(Organisation.objects.in_grace_of(network, on=on)) == {waiting}
    assert set(Organisation.objects.members_of(network, on=on)) == {renewed, waiting}
    assert set(Organisation.objects.members_of(network, on=datetime.date(2027, 3, 1))) == {renewed}


def test_no_grace_for_a_membership_that_was_never_active_or_two_years_old(network):
    applied, old = MunicipalityFactory(), MunicipalityFactory()
    MembershipFactory(
        organisation=applied, network=network, year=2026, status=Membership.Status.APPLIED
    )
    MembershipFactory(organisation=old, network=network, year=2025)
    assert not Organisation.objects.members_of(network, on=datetime.date(2027, 1, 10)).exists()


def test_grace_is_per_network(network, home_page):
    other = NetworkPageFactory(parent=home_page, title="Andet netværk")
    org = MunicipalityFactory()
    MembershipFactory(organisation=org, network=other, year=2026)
    assert not Organisation.objects.members_of(network, on=datetime.date(2027, 1, 10)).exists()
    assert list(Organisation.objects.members_of(other, on=datetime.date(2027, 1, 10))) == [org]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("31.01", "01-31"), ("1.10", "10-01"), ("1/12", "12-01"), ("15.2.", "02-15")],
)
def test_day_of_year_is_typed_the_danish_way(typed, stored):
    assert MonthDayFormField().clean(typed) == stored
    assert MonthDayFormField().prepare_value(stored).endswith(stored[:2])


@pytest.mark.parametrize("typed", ["31.02", "29.02", "1 oktober", "13.13", "2026-10-01"])
def test_a_day_that_is_not_a_day_is_a_danish_field_error(typed):

    from django.utils import translation

    with translation.override("da"), pytest.raises(ValidationError) as exc:
        MonthDayFormField().clean(typed)
    assert "dag" in " ".join(exc.value.messages).lower()


# --- The year, 1 October to 1 February ------------------------------------------------------

import re  # noqa: E402
import zoneinfo  # noqa: E402

import time_machine  # noqa: E402
from allauth.account.models import EmailAddress  # noqa: E402

from meetings.access import material_access  # noqa: E402
from meetings.factories import MeetingPageFactory  # noqa: E402
from meetings.services import registration_options  # noqa: E402
from network import access, renewals, services  # noqa: E402
from network.library.access import is_network_member  # noqa: E402
from network.models import Affiliation, NetworkPage, RenewalNotice  # noqa: E402
from portal.factories import UserFactory  # noqa: E402

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
NEW_EAN = "5790000000005"


def at(*args):
    return time_machine.travel(datetime.datetime(*args, 8, 0, tzinfo=CPH), tick=False)


def contact_person(org, email):
    user = UserFactory(email=email, first_name="Kim", last_name="Kontakt")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    AffiliationFactory(person=user, organisation=org, role=Affiliation.Role.CONTACT_PERSON)
    return user


def links(message, name):
    return re.findall(rf"https?://[^\s]+/netvaerk/forny/[^\s]+/{name}", message.body)


def renew_link(message):
    found = re.findall(r"https?://[^/\s]+(/netvaerk/forny/[^/\s]+/)\s", message.body)
    assert found, message.body
    return found[0]


def run_notices(capture):
    with capture(execute=True):
        return renewals.send_renewal_notices()


def sent_to(mailoutbox, address):
    return [m for m in mailoutbox if address in m.to]


@pytest.fixture
def year_network(home_page):
    return NetworkPageFactory(parent=home_page, title="Anvisningsnetværket")


def test_an_explicit_network_through_the_year(
    client, year_network, mailoutbox, django_capture_on_commit_callbacks
):
    """1 Oct invitations, a renewal with a changed EAN and a refusal from the links,
    reminders on 1 Nov and 1 Dec only to the one who has not answered, each once; the
    rollover on 1 Jan; grace until 31 Jan, gone on 1 Feb on every surface."""
    network = year_network
    renewing, leaving, silent = (
        MunicipalityFactory(name="Aarby Kommune"),
        MunicipalityFactory(name="Baarby Kommune"),
        MunicipalityFactory(name="Caarby Kommune"),
    )
    people = {}
    for org, key in ((renewing, "a"), (leaving, "b"), (silent, "c")):
        people[key] = contact_person(org, f"kontakt@{key}.dk")
        MembershipFactory(
            organisation=org,
            network=network,
            year=2026,
            invoice_contact_email=f"faktura@{key}.dk",
            seats_per_meeting=3,
        )
    participant = UserFactory(email="deltager@c.dk")
    AffiliationFactory(person=participant, organisation=silent)

    with at(2026, 9, 30):
        assert run_notices(django_capture_on_commit_callbacks) == {
            "invitations": 0,
            "reminders": 0,
        }
    with at(2026, 10, 1):
        assert run_notices(django_capture_on_commit_callbacks)["invitations"] == 3
        assert run_notices(django_capture_on_commit_callbacks)["invitations"] == 0
    assert len(mailoutbox) == 3
    invitation = sent_to(mailoutbox, "kontakt@a.dk")[0]
    assert set(invitation.to) == {"kontakt@a.dk", "faktura@a.dk"}
    assert "Forny Anvisningsnetværket for 2027" in invitation.subject
    assert "31. januar 2027" in invitation.body

    # Aarby renews from the link, changing the EAN; Baarby says no.
    with at(2026, 10, 10):
        path = renew_link(invitation)
        client.force_login(people["a"])
        page = client.get(path)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Forny for 2027" in html
        assert 'value="5798000000001"' in html  # last year's EAN, prefilled
        assert "Pris for 2027: 4 af 4 kvartaler, 9.500 kr. ekskl. moms" in html
        with django_capture_on_commit_callbacks(execute=True):
            response = client.submit(
                path,
                {
                    "ean": NEW_EAN,
                    "purchase_reference": "PO-2027",
                    "invoice_contact_name": "Bente Bogholder",
                    "invoice_contact_email": "faktura@a.dk",
                    "seats_per_meeting": "3",
                },
                follow=True,
            )
        assert "Tak: Aarby Kommune er fornyet for 2027." in response.content.decode()
        renewal = Membership.objects.get(organisation=renewing, year=2027)
        assert (renewal.status, renewal.ean, renewal.seats_per_meeting) == (
            Membership.Status.ACTIVE,
            NEW_EAN,
            3,
        )
        assert (renewal.price_quarters, renewal.price_amount) == (4, 9500)
        receipt = sent_to(mailoutbox, "faktura@a.dk")[-1]
        assert "har fornyet" in receipt.subject
        assert "Pris for 2027: 4 af 4 kvartaler, 9.500 kr. ekskl. moms." in receipt.body
        assert NEW_EAN in receipt.body
        # A second submit (back button) makes no second row.
        again = client.post_with_token(path, {"ean": NEW_EAN})
        assert again.status_code == 200
        assert Membership.objects.filter(organisation=renewing, year=2027).count() == 1

        client.force_login(people["b"])
        cancel = sent_to(mailoutbox, "kontakt@b.dk")[0]
        cancel_path = renew_link(cancel) + "opsig/"
        with django_capture_on_commit_callbacks(execute=True):
            client.submit(cancel_path, {})
        assert (
            Membership.objects.get(organisation=leaving, year=2027).status
            == Membership.Status.CANCELLED
        )

    mailoutbox.clear()
    with at(2026, 11, 1):
        assert run_notices(django_capture_on_commit_callbacks) == {
            "invitations": 0,
            "reminders": 1,
        }
        assert run_notices(django_capture_on_commit_callbacks)["reminders"] == 0
    assert [set(m.to) for m in mailoutbox] == [{"kontakt@c.dk", "faktura@c.dk"}]
    assert "Påmindelse" in mailoutbox[0].subject
    with at(2026, 11, 20):
        assert run_notices(django_capture_on_commit_callbacks)["reminders"] == 0
    with at(2026, 12, 1):
        assert run_notices(django_capture_on_commit_callbacks)["reminders"] == 1
    with at(2026, 12, 2):
        assert run_notices(django_capture_on_commit_callbacks)["reminders"] == 0
    assert len(mailoutbox) == 2
    assert RenewalNotice.objects.filter(kind=RenewalNotice.Kind.REMINDER).count() == 2
    assert not RenewalNotice.objects.filter(
        membership__organisation__in=[renewing, leaving], kind=RenewalNotice.Kind.REMINDER
    ).exists()

    # New Year: last year's rows end; nothing is continued in an explicit network.
    with at(2027, 1, 1):
        assert renewals.roll_over() == {"continued": 0, "ended": 3}
        assert renewals.roll_over() == {"continued": 0, "ended": 0}
        assert run_notices(django_capture_on_commit_callbacks) == {
            "invitations": 0,
            "reminders": 0,
        }
    assert set(Membership.objects.filter(year=2026).values_list("status", flat=True)) == {
        Membership.Status.ENDED
    }
    assert not Membership.objects.filter(organisation=silent, year=2027).exists()

    meeting = MeetingPageFactory(
        parent=network,
        start=datetime.datetime(2027, 2, 10, 10, tzinfo=CPH),
        end=datetime.datetime(2027, 2, 10, 15, tzinfo=CPH),
        registration_opens=datetime.datetime(2026, 12, 1, tzinfo=CPH),
        registration_closes=datetime.datetime(2027, 2, 9, tzinfo=CPH),
    )
    january_meeting = MeetingPageFactory(
        parent=network,
        start=datetime.datetime(2027, 1, 25, 10, tzinfo=CPH),
        end=datetime.datetime(2027, 1, 25, 15, tzinfo=CPH),
        registration_opens=datetime.datetime(2026, 12, 1, tzinfo=CPH),
        registration_closes=datetime.datetime(2027, 1, 24, tzinfo=CPH),
    )

    def surfaces(person, next_meeting):
        """Member access as each surface sees it; registering asks about the meeting's
        date, so it is asked for the network's next meeting."""
        person = type(person).objects.get(pk=person.pk)  # a fresh request's user
        return {
            "library": is_network_member(person),
            "directory": access.can_see_directory(person, network),
            "materials": material_access(person, meeting).allowed,
            "meetings": bool(
                registration_options(meeting=next_meeting, user=person)["member_organisations"]
            ),
        }

    everywhere = {"library": True, "directory": True, "materials": True, "meetings": True}
    nowhere = dict.fromkeys(everywhere, False)
    with at(2027, 1, 31):
        # Caarby is in grace: its people keep access, and see the banner with the link.
        assert surfaces(participant, january_meeting) == everywhere
        assert surfaces(people["a"], january_meeting) == everywhere
        assert surfaces(people["b"], january_meeting) == nowhere
        client.force_login(participant)
        html = client.get(network.url).content.decode()
        assert "Fornyelsen af Caarby Kommune i Anvisningsnetværket for 2027 mangler." in html
        assert "/netvaerk/forny/" in html
        my_page = client.get("/min-side/").content.decode()
        assert "Fornyelsen af Caarby Kommune i Anvisningsnetværket for 2027 mangler." in my_page
        assert [o.name for o in services.directory(network=network, person=participant)] == [
            "Aarby Kommune",
            "Caarby Kommune",
        ]
    with at(2027, 2, 1):
        assert surfaces(participant, meeting) == nowhere
        assert surfaces(people["a"], meeting) == everywhere
        client.force_login(participant)
        html = client.get(network.url).content.decode()
        assert "mangler" not in html
        assert client.get(f"/netvaerk/{network.pk}/medlemmer/").status_code == 403

    from wagtail.models import ModelLogEntry

    logged = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {
        "network.membership.renewed",
        "network.membership.not_renewed",
        "network.membership.ended",
    } <= logged

    report = {row.network.pk: row for row in renewals.rollover_report(2027)}[network.pk]
    assert (report.renewed, report.not_answered, report.cancelled, report.new) == (1, 1, 1, 0)
    assert (report.invitations, report.reminders) == (3, 2)


def test_a_continuing_network_rolls_over_by_itself_unless_cancelled_by_the_deadline(
    client, year_network, mailoutbox, django_capture_on_commit_callbacks
):
    network = year_network
    network.renewal_mode = NetworkPage.RenewalMode.CONTINUING
    network.cancellation_deadline = "11-30"
    network.save()
    staying, leaving, late = (MunicipalityFactory() for _ in range(3))
    people = {}
    for org, key in ((staying, "s"), (leaving, "l"), (late, "t")):
        people[key] = contact_person(org, f"kontakt@{key}.dk")
        MembershipFactory(organisation=org, network=network, year=2026)

    with at(2026, 10, 1):
        run_notices(django_capture_on_commit_callbacks)
    notice = sent_to(mailoutbox, "kontakt@l.dk")[0]
    assert "fortsætter i 2027: opsig senest 30.11.2026" in notice.subject
    assert "30. november 2026" in notice.body
    cancel_path = renew_link(notice) + "opsig/"
    assert cancel_path in notice.body

    with at(2026, 11, 30):
        client.force_login(people["l"])
        page = client.get(cancel_path).content.decode()
        assert "Fristen for at opsige er 30. november 2026." in page
        with django_capture_on_commit_callbacks(execute=True):
            client.submit(cancel_path, {})
    with at(2026, 12, 1):
        client.force_login(people["t"])
        late_path = renew_link(sent_to(mailoutbox, "kontakt@t.dk")[0]) + "opsig/"
        page = client.get(late_path).content.decode()
        assert "Fristen for at opsige er overskredet" in page
        response = client.post_with_token(late_path, {}, page=late_path, follow=True)
        assert "Fristen for at opsige er overskredet" in response.content.decode()
        assert not Membership.objects.filter(organisation=late, year=2027).exists()

    with at(2027, 1, 1):
        assert renewals.roll_over() == {"continued": 2, "ended": 3}
        assert renewals.roll_over() == {"continued": 0, "ended": 0}
    assert {m.price_amount for m in Membership.objects.filter(year=2027, status="active")} == {9500}
    rows = dict(Membership.objects.filter(year=2027).values_list("organisation", "status"))
    assert rows == {
        staying.pk: Membership.Status.ACTIVE,
        late.pk: Membership.Status.ACTIVE,
        leaving.pk: Membership.Status.CANCELLED,
    }
    assert set(Organisation.objects.members_of(network, on=datetime.date(2027, 1, 5))) == {
        staying,
        late,
    }


def test_staff_approve_renewals_then_the_renewal_waits_and_grace_holds_meanwhile(
    client, year_network, mailoutbox, django_capture_on_commit_callbacks
):
    network = year_network
    network.staff_approve_renewals = True
    network.save()
    org = MunicipalityFactory(name="Daarby Kommune")
    person = contact_person(org, "kontakt@d.dk")
    last = MembershipFactory(organisation=org, network=network, year=2026)
    UserFactory(email="koordinator@erfa.example", is_superuser=True)
    with at(2026, 12, 15):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            client.submit(
                last.renewal_path(),
                {
                    "ean": last.ean,
                    "invoice_contact_name": "Bente",
                    "invoice_contact_email": "faktura@d.dk",
                },
            )
    renewal = Membership.objects.get(organisation=org, year=2027)
    assert renewal.status == Membership.Status.APPLIED
    assert any("koordinator@erfa.example" in m.to for m in mailoutbox)
    assert list(Organisation.objects.in_grace_of(network, on=datetime.date(2027, 1, 20))) == [org]
    assert not Organisation.objects.members_of(network, on=datetime.date(2027, 2, 1)).exists()


def test_the_renewal_link_asks_for_login_refuses_strangers_and_forged_links(client, year_network):
    org = MunicipalityFactory(name="Eaarby Kommune")
    membership = MembershipFactory(organisation=org, network=year_network, year=2026)
    path = membership.renewal_path()
    with at(2026, 10, 5):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
        client.force_login(UserFactory(email="fremmed@andet.dk"))
        refused = client.get(path)
        assert refused.status_code == 403
        assert "Kun personer, der er tilknyttet Eaarby Kommune" in refused.content.decode()
        assert client.post_with_token(path, {"ean": NEW_EAN}).status_code == 403
        assert client.get("/netvaerk/forny/forfalsket/").status_code == 404
        assert client.get(path[:-5] + "xxxx/").status_code == 404
    assert not Membership.objects.filter(year=2027).exists()


def test_a_bad_ean_on_the_renewal_page_is_a_danish_field_error_and_keeps_the_input(
    client, year_network
):
    org = MunicipalityFactory()
    person = contact_person(org, "kontakt@f.dk")
    membership = MembershipFactory(organisation=org, network=year_network, year=2026)
    with at(2026, 10, 5):
        client.force_login(person)
        response = client.submit(
            membership.renewal_path(),
            {
                "ean": "1234567890123",
                "invoice_contact_name": "Ny Bogholder",
                "invoice_contact_email": "ny@f.dk",
            },
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "kontrolciffer" in html.lower()
    assert 'value="Ny Bogholder"' in html
    soup = check_form_page(response, errors=True)
    assert [a["href"] for a in soup.select('[data-module="error-summary"] a')] == ["#id_ean"]
    assert not Membership.objects.filter(year=2027).exists()


def test_renewal_is_not_open_before_the_invitation_date(client, year_network):
    org = MunicipalityFactory()
    person = contact_person(org, "kontakt@g.dk")
    membership = MembershipFactory(organisation=org, network=year_network, year=2026)
    with at(2026, 9, 1):
        client.force_login(person)
        html = client.get(membership.renewal_path()).content.decode()
        assert "Fornyelsen er ikke åben nu" in html
        response = client.post_with_token(
            membership.renewal_path(), {"ean": NEW_EAN}, page=membership.renewal_path()
        )
        assert response.status_code == 200
    assert not Membership.objects.filter(year=2027).exists()


def test_network_dates_are_edited_as_danish_days_and_checked(year_network):
    network = year_network
    network.grace_end = "08-01"
    network.first_renewal_reminder = "09-01"
    with pytest.raises(ValidationError) as exc:
        network.full_clean()
    assert set(exc.value.message_dict) >= {"grace_end", "first_renewal_reminder"}


def test_the_rollover_report_in_the_admin_counts_per_network_and_exports(
    client, year_network, home_page, django_assert_max_num_queries
):
    import csv
    import io

    from openpyxl import load_workbook

    other = NetworkPageFactory(parent=home_page, title="=Formelnetværket")
    renewed, silent, cancelled, new = (MunicipalityFactory() for _ in range(4))
    for org in (renewed, silent, cancelled):
        last = MembershipFactory(organisation=org, network=year_network, year=2026)
        RenewalNotice.objects.create(
            membership=last, kind=RenewalNotice.Kind.INVITATION, due_on=datetime.date(2026, 10, 1)
        )
    RenewalNotice.objects.create(
        membership=Membership.objects.get(organisation=silent, year=2026),
        kind=RenewalNotice.Kind.REMINDER,
        due_on=datetime.date(2026, 11, 1),
    )
    MembershipFactory(organisation=renewed, network=year_network, year=2027)
    MembershipFactory(
        organisation=cancelled,
        network=year_network,
        year=2027,
        status=Membership.Status.CANCELLED,
    )
    MembershipFactory(
        organisation=new, network=year_network, year=2027, status=Membership.Status.APPLIED
    )
    MembershipFactory(network=other, year=2027)
    for _ in range(10):  # more networks cost no more queries
        NetworkPageFactory(parent=home_page)

    staff = UserFactory(email="koordinator@erfa.example", is_superuser=True)
    client.force_login(staff)
    with django_assert_max_num_queries(25):
        page = client.get("/admin/network/medlemsaar/", {"year": 2027})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Medlemsårets opgørelse" in html
    assert "Inviteret, ikke svaret" in html
    row = re.search(rf'<tr data-network="{year_network.pk}">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1", "1", "1", "3", "1"]

    export = client.get("/admin/network/medlemsaar/", {"year": 2027, "export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    mine = next(r for r in rows if r["Netværk"] == "Anvisningsnetværket")
    assert (mine["Fornyet"], mine["Inviteret, ikke svaret"], mine["Annulleret"], mine["Nye"]) == (
        "1",
        "1",
        "1",
        "1",
    )
    assert (mine["Invitationer sendt"], mine["Påmindelser sendt"]) == ("3", "1")
    assert any(r["Netværk"] == "'=Formelnetværket" for r in rows)  # never a formula

    xlsx = client.get("/admin/network/medlemsaar/", {"year": 2027, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = list(sheet.values)
    assert values[0][:3] == ("Netværk", "År", "Fornyet")
    assert ("Anvisningsnetværket", 2027, 1, 1, 1, 1, 3, 1) in values

    # Someone without the membership permission gets no report.
    client.force_login(UserFactory(email="medlem@a.dk"))
    assert client.get("/admin/network/medlemsaar/").status_code in (302, 403)


def test_renewal_pages_and_grace_banners_ask_a_fixed_number_of_queries(client, year_network):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts(person, membership):
        client.force_login(person)
        figures = {}
        for name, url in {
            "renew": membership.renewal_path(),
            "cancel": membership.cancel_path(),
            "network": year_network.url,
            "min side": "/min-side/",
        }.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            figures[name] = len(queries)
        return figures

    person = UserFactory(email="mange@org.dk")
    memberships = []
    for _ in range(6):
        org = MunicipalityFactory()
        AffiliationFactory(person=person, organisation=org, role=Affiliation.Role.CONTACT_PERSON)
        memberships.append(MembershipFactory(organisation=org, network=year_network, year=2026))
    other = UserFactory(email="en@org.dk")
    AffiliationFactory(person=other, organisation=memberships[0].organisation)

    with at(2027, 1, 15):  # every one of them in grace
        one = counts(other, memberships[0])
        six = counts(person, memberships[0])
        html = client.get(year_network.url).content.decode()
    assert html.count("grace-banner") == 6
    assert six == one
    assert max(one.values()) <= 40, one


def test_the_scheduler_runs_the_notices_and_the_rollover_as_tasks(
    year_network, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from network import tasks
    from portal.schedule import SCHEDULE

    every = {entry.task: entry.every for entry in SCHEDULE}
    assert every["network.tasks.send_renewal_notices"] == timedelta(hours=1)
    assert every["network.tasks.roll_over_memberships"] == timedelta(hours=1)

    org = MunicipalityFactory()
    contact_person(org, "kontakt@h.dk")
    MembershipFactory(organisation=org, network=year_network, year=2026)
    with at(2026, 10, 2), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_renewal_notices.enqueue().return_value == {
            "invitations": 1,
            "reminders": 0,
        }
    assert len(mailoutbox) == 1
    assert "kontakt@h.dk" in mailoutbox[0].to
    with at(2027, 1, 1):
        assert tasks.roll_over_memberships.enqueue().return_value == {
            "continued": 0,
            "ended": 1,
        }


def test_an_organisation_in_grace_renews_from_the_banner_and_stays_a_member(
    client, year_network, django_capture_on_commit_callbacks
):
    org = MunicipalityFactory(name="Iaarby Kommune")
    person = contact_person(org, "kontakt@i.dk")
    MembershipFactory(
        organisation=org, network=year_network, year=2026, status=Membership.Status.ENDED
    )
    with at(2027, 1, 20):
        client.force_login(person)
        html = client.get(year_network.url).content.decode()
        path = re.search(r'href="(/netvaerk/forny/[^"]+/)"', html).group(1)
        page = client.get(path).content.decode()
        assert "Forny Anvisningsnetværket for 2027" in page
        assert "Pris for 2027: 4 af 4 kvartaler" in page  # January: the first quarter on
        with django_capture_on_commit_callbacks(execute=True):
            client.submit(
                path,
                {
                    "ean": NEW_EAN,
                    "invoice_contact_name": "Bente",
                    "invoice_contact_email": "faktura@i.dk",
                },
            )
        assert "mangler" not in client.get(year_network.url).content.decode()
    assert Membership.objects.get(organisation=org, year=2027).status == Membership.Status.ACTIVE
    assert Organisation.objects.members_of(year_network, on=datetime.date(2027, 2, 1)).exists()
