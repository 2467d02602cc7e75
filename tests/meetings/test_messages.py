"""Messages to people: staff write to a meeting's participants, its waitlist, its attendees
or everyone in a network's member organisations; the recipient count and a preview come
first; each recipient gets their own e-mail, queued in batches; the message is kept with
its recipients."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from wagtail.test.utils.form_data import rich_text

from meetings import messages
from meetings.factories import RegistrationFactory
from meetings.models import MeetingMaterial, Message, MessageRecipient, Registration
from network.factories import AffiliationFactory
from network.library.pdf import simple_pdf
from network.models import Affiliation
from portal.factories import UserFactory
from tests.portal.english_in_admin import english_in

from .conftest import cph

ADD_URL = "/admin/meetings/messages/new/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True, verified=True, first_name="Ella", last_name="Redaktør")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def full_meeting(make_meeting):
    """Two confirmed, one waitlisted, one cancelled and one anonymised registration."""
    meeting = make_meeting(title="Netværksmøde om bostøtte")
    for first in ("Anna", "Bent"):
        RegistrationFactory(meeting=meeting, person__first_name=first)
    RegistrationFactory(
        meeting=meeting,
        person__first_name="Carl",
        status=Registration.Status.WAITLISTED,
        waitlist_reason=Registration.WaitlistReason.CAPACITY,
        confirmed_at=None,
    )
    RegistrationFactory(meeting=meeting, person__first_name="Dorte", status="cancelled")
    RegistrationFactory(meeting=meeting, person=None, registered_by=None)
    return meeting


def compose(client, data, *, send=False):
    payload = {"body": rich_text(data.pop("body", "<p>Hej alle</p>")), **data}
    payload["send" if send else "preview"] = "1"
    return client.submit(ADD_URL, payload, page=ADD_URL)


def test_staff_preview_then_send_to_a_meetings_confirmed_participants(
    client, editor, full_meeting, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    # The compose screen's heading is Wagtail's "Ny: Besked" (singular; the rollover
    # report's plural column "Nye" must not leak into it).
    assert "Ny: Besked" in text(client.get(ADD_URL))
    data = {
        "audience": "confirmed",
        "meeting": full_meeting.pk,
        "subject": "Husk madpakken",
        "body": "<p>Der er <b>ingen frokost</b> i år.</p>",
    }
    response = compose(client, dict(data))
    assert english_in(response.content.decode()) == []
    page = text(response)
    assert response.status_code == 200
    assert "2 modtagere, der hver får sin egen e-mail." in page
    assert "Husk madpakken" in page
    assert "Der er ingen frokost i år." in page  # the preview's text
    assert "Send til 2 personer" in page
    assert not Message.objects.exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = compose(client, dict(data), send=True)
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/meetings/messages/inspect/{message.pk}/"
    confirmed = {
        r.person.email
        for r in full_meeting.registrations.filter(status="confirmed", person__isnull=False)
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(confirmed)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    first = mail.outbox[0]
    assert first.subject.endswith("Husk madpakken")
    assert "Der er ingen frokost i år." in first.body
    assert "<b>ingen frokost</b>" in first.alternatives[0][0]
    assert message.recipient_count == 2
    assert message.created_by == editor
    assert message.sent_at is not None
    assert not MessageRecipient.objects.filter(message=message, queued_at__isnull=True).exists()

    # Kept and listed with its recipients.
    listing_response = client.get("/admin/meetings/messages/")
    assert english_in(listing_response.content.decode()) == []
    listing = text(listing_response)
    assert "Husk madpakken" in listing
    assert "Et mødes bekræftede deltagere: Netværksmøde om bostøtte" in listing
    inspect_response = client.get(f"/admin/meetings/messages/inspect/{message.pk}/")
    assert english_in(inspect_response.content.decode()) == []
    inspect = text(inspect_response)
    assert "2 modtagere" in inspect
    for email in confirmed:
        assert email in inspect


def test_the_waitlist_and_the_attendees_are_audiences_of_their_own(full_meeting, make_meeting):
    waitlist = messages.recipients_for(audience="waitlist", meeting=full_meeting)
    assert [p.first_name for p in waitlist] == ["Carl"]
    past = make_meeting(title="Forrige møde", start=cph(2021, 3, 1, 10), end=cph(2021, 3, 1, 15))
    came = RegistrationFactory(meeting=past, person__first_name="Hanne")
    RegistrationFactory(meeting=past, person__first_name="Ib")
    # Nobody checked in: everyone with a seat attended.
    assert messages.recipients_for(audience="attendees", meeting=past).count() == 2
    came.attended_at = cph(2021, 3, 1, 9, 55)
    came.save()
    assert [p.first_name for p in messages.recipients_for(audience="attendees", meeting=past)] == [
        "Hanne"
    ]


def test_everyone_in_a_networks_member_organisations_or_their_contact_persons(
    network, member_org, person_at, non_member_org, editor, django_capture_on_commit_callbacks
):
    aarhus = member_org("Aarhus Kommune")
    anna = person_at(aarhus, first_name="Anna")
    kim = person_at(aarhus, first_name="Kim")
    Affiliation.objects.filter(person=kim).update(role=Affiliation.Role.CONTACT_PERSON)
    AffiliationFactory(
        organisation=aarhus, person__first_name="Ulla", status=Affiliation.Status.REQUESTED
    )
    person_at(non_member_org("Esbjerg Kommune"), first_name="Erik")

    everyone = messages.recipients_for(audience="network", network=network)
    assert sorted(p.first_name for p in everyone) == ["Anna", "Kim"]
    contacts = messages.recipients_for(
        audience="network", network=network, contact_persons_only=True
    )
    assert [p.first_name for p in contacts] == ["Kim"]

    with django_capture_on_commit_callbacks(execute=True):
        messages.create(
            by=editor,
            subject="Kontingent 2027",
            body="<p>Husk at forny.</p>",
            audience="network",
            network=network,
            contact_persons_only=True,
        )
    assert [m.to for m in mail.outbox] == [[kim.email]]
    assert anna.email not in {m.to[0] for m in mail.outbox}


def test_sending_goes_in_batches_and_a_second_run_sends_nothing_twice(
    full_meeting, editor, django_capture_on_commit_callbacks
):
    for number in range(5):
        RegistrationFactory(meeting=full_meeting, person__first_name=f"Ekstra{number}")
    message = Message.objects.create(
        subject="Nyt", body="<p>Nyt</p>", audience="confirmed", meeting=full_meeting
    )
    people = messages.recipients_for(audience="confirmed", meeting=full_meeting)
    MessageRecipient.objects.bulk_create(
        MessageRecipient(message=message, person=p) for p in people
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert messages.send_batches(message.pk, batch_size=2) == 7
    assert len(mail.outbox) == 7
    assert messages.send_batches(message.pk, batch_size=2) == 0
    assert len(mail.outbox) == 7


def test_an_attachment_from_the_meetings_materials(
    client, editor, full_meeting, django_capture_on_commit_callbacks
):
    pdf = simple_pdf("Program", ["Dagens program"])
    material = MeetingMaterial(meeting=full_meeting, title="Program", kind="other")
    MeetingMaterial._meta.get_field("file").attach(material, ContentFile(pdf, name="Program.pdf"))
    material.save()
    client.force_login(editor)
    data = {
        "audience": "confirmed",
        "meeting": full_meeting.pk,
        "subject": "Programmet",
        "attachment": material.pk,
    }
    page = text(compose(client, dict(data)))
    assert "<strong>Vedhæftet:</strong> Program.pdf" in page
    with django_capture_on_commit_callbacks(execute=True):
        compose(client, dict(data), send=True)
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        ((name, content, mimetype),) = email.attachments
        assert (name, content, mimetype) == ("Program.pdf", pdf, "application/pdf")


def test_bad_choices_are_danish_field_errors_and_nothing_is_kept(
    client, editor, full_meeting, make_meeting
):
    client.force_login(editor)
    # Attendees of a meeting that has not been held.
    page = text(
        compose(
            client,
            {"audience": "attendees", "meeting": full_meeting.pk, "subject": "Tak for i dag"},
            send=True,
        )
    )
    assert "Mødet er ikke holdt endnu" in page
    # A network audience without a network, and an attachment of another meeting.
    other = make_meeting(title="Andet møde")
    material = MeetingMaterial(meeting=other, title="Slides", kind="slides")
    MeetingMaterial._meta.get_field("file").attach(
        material, ContentFile(simple_pdf("Slides"), name="s.pdf")
    )
    material.save()
    page = text(compose(client, {"audience": "network", "subject": "Hej"}, send=True))
    assert "Vælg netværket." in page
    page = text(
        compose(
            client,
            {
                "audience": "confirmed",
                "meeting": full_meeting.pk,
                "subject": "Hej",
                "attachment": material.pk,
            },
            send=True,
        )
    )
    assert "Vælg et af dette mødes materialer." in page
    page = text(compose(client, {"audience": "alle", "subject": "Hej"}, send=True))
    assert "Vælg en af de viste muligheder." in page
    # Nobody on the waitlist: nothing to send.
    empty = make_meeting(title="Tomt møde")
    page = text(
        compose(client, {"audience": "waitlist", "meeting": empty.pk, "subject": "Hej"}, send=True)
    )
    assert "Ingen ville få denne besked." in page
    assert not Message.objects.exists()
    assert mail.outbox == []


def test_members_cannot_write_or_read_messages(client, full_meeting):
    member = full_meeting.registrations.filter(person__isnull=False).first().person
    client.force_login(member)
    assert client.get(ADD_URL).status_code in (302, 403)
    assert client.get("/admin/meetings/messages/").status_code in (302, 403)
    with pytest.raises(PermissionError):
        messages.create(
            by=member, subject="Spam", body="<p>x</p>", audience="confirmed", meeting=full_meeting
        )


def test_the_listing_and_a_message_take_a_fixed_number_of_queries(client, editor, full_meeting):
    """As many queries for 2 recipients as for 22, for 1 message listed as for 21."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_message(number, people):
        message = Message.objects.create(
            subject=f"Besked {number}",
            body="<p>x</p>",
            audience="confirmed",
            meeting=full_meeting,
            created_by=editor,
        )
        MessageRecipient.objects.bulk_create(
            MessageRecipient(message=message, person=p) for p in people
        )
        return message

    def queries(url):
        client.get(url)  # the first request fills per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    people = [r.person for r in full_meeting.registrations.filter(person__isnull=False)][:2]
    message = add_message(0, people)
    client.force_login(editor)
    inspect = f"/admin/meetings/messages/inspect/{message.pk}/"
    few = {"listing": queries("/admin/meetings/messages/"), "message": queries(inspect)}
    assert few["listing"] <= 25 and few["message"] <= 25

    MessageRecipient.objects.bulk_create(
        MessageRecipient(message=message, person=UserFactory()) for _ in range(20)
    )
    for number in range(1, 21):
        add_message(number, people)
    many = {"listing": queries("/admin/meetings/messages/"), "message": queries(inspect)}
    assert many == few


def test_a_message_whose_job_was_lost_is_finished_by_the_scheduled_sweep(
    full_meeting, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from meetings import tasks

    message = Message.objects.create(
        subject="Nyt", body="<p>Nyt</p>", audience="confirmed", meeting=full_meeting
    )
    people = messages.recipients_for(audience="confirmed", meeting=full_meeting)
    MessageRecipient.objects.bulk_create(
        MessageRecipient(message=message, person=p) for p in people
    )
    # Just sent: its own job is still expected to run.
    assert messages.finish_unsent() == 0
    with django_capture_on_commit_callbacks(execute=True):
        later = timezone.now() + datetime.timedelta(minutes=6)
        assert messages.finish_unsent(now=later) == 2
    assert len(mail.outbox) == 2
    message.refresh_from_db()
    assert message.sent_at is not None
    assert tasks.finish_messages.call() == 0  # nothing left, nothing sent twice
    assert len(mail.outbox) == 2


def test_a_persons_data_export_lists_the_messages_they_got_and_deletion_leaves_no_address(
    full_meeting, editor, django_capture_on_commit_callbacks
):
    from portal import gdpr

    with django_capture_on_commit_callbacks(execute=True):
        message = messages.create(
            by=editor,
            subject="Husk madpakken",
            body="<p>Ingen frokost.</p>",
            audience="waitlist",
            meeting=full_meeting,
        )
    carl = full_meeting.registrations.get(status="waitlisted").person
    exported = gdpr.collect(carl)["messages_received"]
    assert [item["subject"] for item in exported] == ["Husk madpakken"]
    carl.delete()
    (row,) = MessageRecipient.objects.filter(message=message)
    assert row.person is None
