"""The registration rules in meetings.services, one test per rule."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import services
from meetings.models import MeetingPage, Registration
from network.models import Membership, TrialUse
from portal.factories import UserFactory

from .conftest import cph


def register(meeting, person, organisation, **kwargs):
    return services.register(meeting=meeting, person=person, organisation=organisation, **kwargs)


def test_a_member_is_confirmed_and_gets_a_danish_confirmation_with_the_meeting_attached(
    meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    org = member_org("Aarhus Kommune")
    person = person_at(org, first_name="Mads", email="mads@aarhus.dk")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(
            meeting, person, org, answers={"dietary_needs": "Vegetar", "joins_dinner": True}
        )

    assert registration.is_confirmed
    assert registration.kind == Registration.Kind.MEMBER
    assert registration.dietary_needs == "Vegetar"
    assert registration.joins_dinner is None  # the meeting does not ask about dinner
    (message,) = mail.outbox
    assert message.to == ["mads@aarhus.dk"]
    assert "Du er tilmeldt" in message.subject
    assert "Din plads til mødet nedenfor er bekræftet" in message.body
    html = message.alternatives[0][0]
    assert "Netværksmøde om anvisning" in html
    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content


def test_capacity_full_puts_the_next_request_on_the_waitlist_with_the_reason(
    make_meeting, member_org, person_at
):
    meeting = make_meeting(capacity=2, seats_per_organisation=5)
    org = member_org()
    first, second, third = (person_at(org) for _ in range(3))
    assert register(meeting, first, org).is_confirmed
    assert register(meeting, second, org).is_confirmed

    third_registration = register(meeting, third, org)

    assert third_registration.is_waitlisted
    assert third_registration.waitlist_reason == Registration.WaitlistReason.CAPACITY
    assert third_registration.reason_text == "Mødet er fuldt."


def test_an_organisation_cannot_take_more_than_its_seats_but_others_still_can(
    meeting, member_org, person_at
):
    aarhus, odense = member_org("Aarhus Kommune"), member_org("Odense Kommune")
    for _ in range(2):
        assert register(meeting, person_at(aarhus), aarhus).is_confirmed

    third_from_aarhus = register(meeting, person_at(aarhus), aarhus)
    from_odense = register(meeting, person_at(odense), odense)

    assert third_from_aarhus.is_waitlisted
    assert (
        third_from_aarhus.reason_text == "Din organisation har brugt alle sine pladser til mødet."
    )
    assert from_odense.is_confirmed


def _membership_seats(organisation, network, seats):
    Membership.objects.filter(organisation=organisation, network=network).update(
        seats_per_meeting=seats
    )


def test_a_membership_with_its_own_seats_overrides_the_meetings_seats_per_organisation(
    make_meeting, network, member_org, person_at
):
    network.seats_per_member = 5  # the network's default does not override the meeting
    network.save()
    meeting = make_meeting(capacity=20, seats_per_organisation=2)
    aarhus, odense, vejle = (member_org(name) for name in ("Aarhus", "Odense", "Vejle"))
    _membership_seats(aarhus, network, 3)
    _membership_seats(odense, network, 1)

    aarhus_results = [register(meeting, person_at(aarhus), aarhus) for _ in range(4)]
    odense_results = [register(meeting, person_at(odense), odense) for _ in range(2)]
    vejle_results = [register(meeting, person_at(vejle), vejle) for _ in range(3)]

    assert [r.is_confirmed for r in aarhus_results] == [True, True, True, False]
    assert [r.is_confirmed for r in odense_results] == [True, False]
    assert [r.is_confirmed for r in vejle_results] == [True, True, False]
    assert {
        r.waitlist_reason for r in (aarhus_results[3], odense_results[1], vejle_results[2])
    } == {Registration.WaitlistReason.ORGANISATION_SEATS}


def test_promotion_from_the_waitlist_uses_the_memberships_own_seats(
    make_meeting, network, member_org, person_at
):
    meeting = make_meeting(capacity=3, seats_per_organisation=1)
    aarhus, odense = member_org("Aarhus Kommune"), member_org("Odense Kommune")
    _membership_seats(aarhus, network, 2)
    a1, a2, a3 = (person_at(aarhus) for _ in range(3))
    o1, o2 = person_at(odense), person_at(odense)
    for person, org in ((a1, aarhus), (o1, odense), (a2, aarhus)):
        assert register(meeting, person, org).is_confirmed  # Aarhus may have 2
    waiting_odense = register(meeting, o2, odense)  # earliest, but Odense has its 1 seat
    waiting_aarhus = register(meeting, a3, aarhus)
    assert waiting_odense.is_waitlisted and waiting_aarhus.is_waitlisted

    services.cancel(registration=Registration.objects.get(person=a1), cancelled_by=a1)

    waiting_odense.refresh_from_db()
    waiting_aarhus.refresh_from_db()
    assert waiting_odense.is_waitlisted
    assert waiting_aarhus.is_confirmed and waiting_aarhus.promoted_at is not None


def test_trial_places_are_limited_and_a_trial_over_the_limit_waits(
    make_meeting, non_member_org, person_at
):
    meeting = make_meeting(trial_places=1)
    first_org, second_org = non_member_org("Esbjerg Kommune"), non_member_org("Vejle Kommune")

    first = register(meeting, person_at(first_org), first_org, trial=True)
    second = register(meeting, person_at(second_org), second_org, trial=True)

    assert first.is_confirmed and first.kind == Registration.Kind.TRIAL
    assert second.is_waitlisted
    assert second.reason_text == "Alle prøvepladser til mødet er taget."
    # Both hold their organisation's one trial in this network.
    assert TrialUse.objects.filter(network=meeting.get_parent()).count() == 2


def test_an_organisation_has_one_trial_per_network_ever(make_meeting, non_member_org, person_at):
    first_meeting = make_meeting()
    later_meeting = make_meeting(
        start=first_meeting.start + datetime.timedelta(days=14),
        end=first_meeting.end + datetime.timedelta(days=14),
    )
    org = non_member_org("Esbjerg Kommune")
    register(first_meeting, person_at(org), org, trial=True)

    with pytest.raises(ValidationError) as excinfo:
        register(later_meeting, person_at(org), org, trial=True)
    assert "har allerede brugt sin gratis prøve" in excinfo.value.messages[0]

    colleague_same_meeting = person_at(org)
    with pytest.raises(ValidationError):
        register(first_meeting, colleague_same_meeting, org, trial=True)


def test_a_cancelled_trial_gives_the_organisation_its_trial_back(
    meeting, non_member_org, person_at
):
    org = non_member_org()
    person = person_at(org)
    registration = register(meeting, person, org, trial=True)

    services.cancel(registration=registration, cancelled_by=person)

    assert not TrialUse.objects.filter(organisation=org).exists()
    assert register(meeting, person, org, trial=True).is_confirmed


def test_a_member_organisation_cannot_use_a_trial(meeting, member_org, person_at):
    org = member_org()
    with pytest.raises(ValidationError) as excinfo:
        register(meeting, person_at(org), org, trial=True)
    assert "er medlem af netværket" in excinfo.value.messages[0]


def test_registration_window_opens_and_closes(make_meeting, member_org, person_at):
    meeting = make_meeting(
        start=cph(2030, 3, 10, 10),
        end=cph(2030, 3, 10, 15),
        registration_opens=cph(2030, 2, 1, 9),
        registration_closes=cph(2030, 3, 1, 12),
    )
    org = member_org(years=[2030])
    person = person_at(org)

    with time_machine.travel(cph(2030, 1, 31, 23, 59), tick=False):
        with pytest.raises(ValidationError) as excinfo:
            register(meeting, person, org)
        assert excinfo.value.messages == ["Tilmeldingen åbner 1. februar 2030 kl. 9.00."]

    with time_machine.travel(cph(2030, 3, 1, 12, 0), tick=False):
        with pytest.raises(ValidationError) as excinfo:
            register(meeting, person, org)
        assert excinfo.value.messages == ["Tilmeldingen til mødet er lukket."]

    with time_machine.travel(cph(2030, 2, 1, 9, 0), tick=False):
        assert register(meeting, person, org).is_confirmed


def test_without_a_closing_time_registration_closes_when_the_meeting_starts(
    make_meeting, member_org, person_at
):
    meeting = make_meeting(start=cph(2030, 3, 10, 10), end=cph(2030, 3, 10, 15))
    org = member_org(years=[2030])
    person = person_at(org)
    with time_machine.travel(cph(2030, 3, 10, 10, 0), tick=False), pytest.raises(ValidationError):
        register(meeting, person, org)


def test_a_cancelled_meeting_takes_no_registrations(make_meeting, member_org, person_at):
    meeting = make_meeting(status=MeetingPage.Status.CANCELLED)
    org = member_org()
    with pytest.raises(ValidationError) as excinfo:
        register(meeting, person_at(org), org)
    assert "aflyst" in excinfo.value.messages[0]


def test_members_only_meeting_refuses_non_members_and_trials(
    make_meeting, non_member_org, person_at
):
    meeting = make_meeting(audience=MeetingPage.Audience.MEMBERS)
    org = non_member_org()
    person = person_at(org)
    with pytest.raises(ValidationError) as excinfo:
        register(meeting, person, org)
    assert excinfo.value.messages == [
        "Mødet er for netværkets medlemmer. Tilmeld din organisation for at deltage."
    ]
    with pytest.raises(ValidationError) as excinfo:
        register(meeting, person, org, trial=True)
    assert excinfo.value.messages == ["Mødet har ingen prøvepladser."]


def test_members_and_trial_meeting_points_a_non_member_to_the_trial(
    meeting, non_member_org, person_at
):
    org = non_member_org()
    with pytest.raises(ValidationError) as excinfo:
        register(meeting, person_at(org), org)
    assert "gratis prøve" in excinfo.value.messages[0]


def test_open_meeting_takes_guests_with_or_without_an_organisation(
    make_meeting, non_member_org, person_at
):
    meeting = make_meeting(audience=MeetingPage.Audience.OPEN)
    org = non_member_org()
    guest = register(meeting, person_at(org), org)
    loner = register(meeting, UserFactory(verified=True), None)
    assert guest.kind == loner.kind == Registration.Kind.GUEST
    assert guest.is_confirmed and loner.is_confirmed


def test_a_member_registers_a_colleague_but_not_someone_from_another_organisation(
    meeting, member_org, person_at
):
    aarhus, odense = member_org("Aarhus Kommune"), member_org("Odense Kommune")
    registrar = person_at(aarhus)
    colleague = person_at(aarhus)
    stranger = person_at(odense)

    registration = register(meeting, colleague, aarhus, registered_by=registrar)
    assert registration.person == colleague
    assert registration.registered_by == registrar

    with pytest.raises(ValidationError) as excinfo:
        register(meeting, stranger, odense, registered_by=registrar)
    assert excinfo.value.messages == ["Du kan kun tilmelde kolleger fra din egen organisation."]
    with pytest.raises(ValidationError):
        register(meeting, stranger, aarhus, registered_by=registrar)


def test_double_submit_returns_the_same_registration(meeting, member_org, person_at):
    org = member_org()
    person = person_at(org)
    first = register(meeting, person, org)
    second = register(meeting, person, org, answers={"dietary_needs": "Vegansk"})

    assert second.pk == first.pk
    assert first.is_new and not second.is_new
    assert Registration.objects.filter(meeting=meeting, person=person).count() == 1


def test_the_database_allows_one_active_registration_per_person_and_meeting(
    meeting, member_org, person_at
):
    org = member_org()
    person = person_at(org)
    register(meeting, person, org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            meeting=meeting,
            person=person,
            status=Registration.Status.WAITLISTED,
            waitlist_reason=Registration.WaitlistReason.CAPACITY,
        )
    # A cancelled registration is history, and the person may register again.
    services.cancel(registration=Registration.objects.get(person=person), cancelled_by=person)
    assert register(meeting, person, org).is_new


def test_cancelling_promotes_the_earliest_waitlisted_request_the_limits_allow_and_tells_them(
    make_meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    meeting = make_meeting(capacity=3, seats_per_organisation=2)
    aarhus, odense = member_org("Aarhus Kommune"), member_org("Odense Kommune")
    a1, a2, o1 = person_at(aarhus), person_at(aarhus), person_at(odense)
    a3 = person_at(aarhus, email="a3@aarhus.dk")
    o2 = person_at(odense, email="o2@odense.dk")
    for person, org in ((a1, aarhus), (o1, odense), (a2, aarhus)):
        assert register(meeting, person, org).is_confirmed
    waiting_aarhus = register(meeting, a3, aarhus)  # earliest, but Aarhus would exceed 2
    waiting_odense = register(meeting, o2, odense)
    assert waiting_aarhus.is_waitlisted and waiting_odense.is_waitlisted

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=Registration.objects.get(person=o1), cancelled_by=o1)

    waiting_aarhus.refresh_from_db()
    waiting_odense.refresh_from_db()
    assert waiting_aarhus.is_waitlisted  # Aarhus still has its 2 seats
    assert waiting_odense.is_confirmed and waiting_odense.promoted_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([o1.email, "o2@odense.dk"])
    promoted = next(m for m in mail.outbox if m.to == ["o2@odense.dk"])
    assert "En plads er blevet ledig" in promoted.subject
    assert "fået en bekræftet plads" in promoted.body
    assert promoted.attachments  # the calendar file
    cancelled = next(m for m in mail.outbox if m.to == [o1.email])
    assert "Afmelding" in cancelled.subject


def test_cancelling_a_waitlisted_request_promotes_nobody(make_meeting, member_org, person_at):
    meeting = make_meeting(capacity=1, trial_places=0)
    org = member_org()
    first, second, third = (person_at(org) for _ in range(3))
    register(meeting, first, org)
    second_reg = register(meeting, second, org)
    third_reg = register(meeting, third, org)

    services.cancel(registration=second_reg, cancelled_by=second)

    third_reg.refresh_from_db()
    assert third_reg.is_waitlisted


def test_only_the_person_the_registrar_or_staff_may_cancel(meeting, member_org, person_at):
    org = member_org()
    person, other = person_at(org), person_at(org)
    registration = register(meeting, person, org)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.cancel(registration=registration, cancelled_by=other)
    # The rule is the permission to change registrations (meetings/access.py), not is_staff.
    with pytest.raises(PermissionDenied):
        services.cancel(registration=registration, cancelled_by=UserFactory(is_staff=True))
    from django.contrib.auth.models import Group

    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name="Editors"))
    assert services.cancel(registration=registration, cancelled_by=coordinator).status == (
        "cancelled"
    )


def test_cancelling_twice_changes_nothing(meeting, member_org, person_at):
    org = member_org()
    person = person_at(org)
    registration = register(meeting, person, org)
    first = services.cancel(registration=registration, cancelled_by=person)
    second = services.cancel(registration=registration, cancelled_by=person)
    assert first.cancelled_at == second.cancelled_at


def test_an_editor_confirms_from_the_waitlist_by_hand_past_the_limits(
    make_meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    meeting = make_meeting(capacity=1, trial_places=0)
    org = member_org()
    register(meeting, person_at(org), org)
    waiting = register(meeting, person_at(org), org)
    editor = UserFactory(is_staff=True, is_superuser=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_by_hand(registration=waiting, confirmed_by=editor)

    waiting.refresh_from_db()
    assert waiting.is_confirmed
    assert meeting.registration_summary()["confirmed"] == 2
    assert "En plads er blevet ledig" in mail.outbox[-1].subject


def test_check_in_marks_a_confirmed_participant_as_attended(meeting, member_org, person_at):
    org = member_org()
    registration = register(meeting, person_at(org), org)
    editor = UserFactory(is_staff=True, is_superuser=True)
    services.check_in(registration=registration, checked_in_by=editor)
    assert registration.attended
    assert meeting.registration_summary()["attended"] == 1

    member = person_at(org)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.check_in(registration=registration, checked_in_by=member)


def test_raising_the_capacity_and_filling_from_the_waitlist(make_meeting, member_org, person_at):
    meeting = make_meeting(capacity=1, trial_places=0, seats_per_organisation=5)
    org = member_org()
    register(meeting, person_at(org), org)
    waiting = register(meeting, person_at(org), org)
    MeetingPage.objects.filter(pk=meeting.pk).update(capacity=2)

    promoted = services.fill_from_waitlist(meeting=meeting)

    assert [r.pk for r in promoted] == [waiting.pk]


def test_a_meeting_in_the_past_cannot_be_cancelled(make_meeting, member_org, person_at):
    meeting = make_meeting()
    org = member_org()
    person = person_at(org)
    registration = register(meeting, person, org)
    after = meeting.end + datetime.timedelta(hours=1)
    with time_machine.travel(after, tick=False), pytest.raises(ValidationError):
        services.cancel(registration=registration, cancelled_by=person)


def test_registration_options_tell_member_and_trial_organisations_apart(
    meeting, member_org, non_member_org, person_at
):
    aarhus = member_org("Aarhus Kommune")
    esbjerg = non_member_org("Esbjerg Kommune")
    person = person_at(aarhus)
    from network.factories import AffiliationFactory

    AffiliationFactory(person=person, organisation=esbjerg)
    options = services.registration_options(meeting=meeting, user=person)
    assert options["member_organisations"] == [aarhus]
    assert options["trial_organisations"] == [esbjerg]
    assert options["can_register"]
    assert timezone.now() < meeting.start
