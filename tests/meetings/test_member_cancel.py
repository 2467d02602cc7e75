"""The member's side of a seat: cancelling asks first (Min side, the meeting page and
the e-mail link), "Hvem deltager?" offers only people not yet registered, and Min side
shows one line per meeting however often someone registered and cancelled."""

import re

from meetings import services
from meetings.models import Registration


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_cancelling_from_min_side_asks_first_then_cancels(client, meeting, member_org, person_at):
    org = member_org()
    person = person_at(org, first_name="Mona", last_name="Medlem")
    registration = services.register(meeting=meeting, person=person, organisation=org)
    client.force_login(person)
    link = f"/moeder/tilmelding/{registration.pk}/afmeld/?next=/min-side/"
    assert f'href="{link}"' in client.get("/min-side/").content.decode()

    page = text(client.get(link))

    assert "Din plads er bekræftet. Afmelder du dig" in page
    assert "Ja, afmeld mig" in page and "Nej, behold tilmeldingen" in page
    registration.refresh_from_db()
    assert registration.is_confirmed  # opening the page cancels nothing

    response = client.submit(link, {"next": "/min-side/"}, follow=True)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert response.redirect_chain[-1][0] == "/min-side/"
    assert "Din tilmelding er afmeldt." in text(response)


def test_cancelling_a_colleague_names_the_colleague(client, meeting, member_org, person_at):
    org = member_org()
    me = person_at(org)
    colleague = person_at(org, first_name="Kirsten", last_name="Kollega")
    registration = services.register(
        meeting=meeting, person=colleague, organisation=org, registered_by=me
    )
    client.force_login(me)
    assert f"/moeder/tilmelding/{registration.pk}/afmeld/?next=" in text(client.get(meeting.url))

    page = text(client.get(f"/moeder/tilmelding/{registration.pk}/afmeld/"))

    assert "Pladsen for Kirsten Kollega er bekræftet." in page
    client.submit(f"/moeder/tilmelding/{registration.pk}/afmeld/")
    registration.refresh_from_db()
    assert registration.cancelled_by == me


def test_who_is_coming_does_not_offer_people_already_registered(
    client, meeting, member_org, person_at
):
    org = member_org()
    me = person_at(org, first_name="Mette", last_name="Mig")
    person_at(org, first_name="Karl", last_name="Kommer")
    waiting = person_at(org, first_name="Vera", last_name="Venter")
    services.register(meeting=meeting, person=me, organisation=org)
    Registration.objects.create(
        meeting=meeting,
        person=waiting,
        organisation=org,
        kind=Registration.Kind.MEMBER,
        status=Registration.Status.WAITLISTED,
        waitlist_reason=Registration.WaitlistReason.CAPACITY,
    )
    client.force_login(me)

    page = text(client.get(meeting.register_url))

    choices = re.search(r'name="participant".*?</select>', page).group(0)
    assert "Karl Kommer" in choices
    assert "Mette Mig" not in choices  # already confirmed
    assert "Vera Venter" not in choices  # already on the waitlist


def test_min_side_shows_one_line_per_meeting_not_every_cancellation(
    client, make_meeting, member_org, person_at
):
    org = member_org()
    person = person_at(org)
    again_and_again = make_meeting(title="Mødet med fortrydelser")
    given_up = make_meeting(title="Mødet jeg droppede")
    for _ in range(3):
        registration = services.register(meeting=again_and_again, person=person, organisation=org)
        services.cancel(registration=registration, cancelled_by=person)
    services.register(meeting=again_and_again, person=person, organisation=org)
    for _ in range(2):
        registration = services.register(meeting=given_up, person=person, organisation=org)
        services.cancel(registration=registration, cancelled_by=person)
    client.force_login(person)

    page = text(client.get("/min-side/"))

    section = re.search(r'<section class="my-registrations".*?</section>', page).group(0)
    assert section.count(">Mødet med fortrydelser</a>") == 1
    assert re.search(r"Mødet med fortrydelser.*?Bekræftet", section)
    assert section.count(">Mødet jeg droppede</a>") == 1  # the latest cancellation only
    assert re.search(r"Mødet jeg droppede.*?Afmeldt", section)


def test_when_everyone_is_registered_the_form_says_so_instead_of_an_empty_choice(
    client, meeting, member_org, person_at
):
    org = member_org()
    me = person_at(org)
    services.register(meeting=meeting, person=me, organisation=org)
    client.force_login(me)

    page = text(client.get(meeting.register_url))

    assert "Alle, du kan tilmelde, er allerede tilmeldt dette møde." in page
    assert 'name="participant"' not in page
    response = client.post_with_token(
        meeting.register_url, {"participant": me.pk}, page=meeting.url
    )
    assert response.status_code == 400
    assert "Alle, du kan tilmelde, er allerede tilmeldt dette møde." in text(response)
    assert Registration.objects.filter(person=me).count() == 1
