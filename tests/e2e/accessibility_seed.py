"""The database of the accessibility matrix's own server (tests/e2e/test_accessibility.py):
`python -m tests.e2e.accessibility_seed [SERIALIZED]` with the server's settings fills it
and prints a JSON object of the addresses it made (tokens included).

The database is either a copy of the test database (already migrated; SERIALIZED is what
migrations put in it, which the test run keeps for its transactional tests, restored as
Django restores it) or empty (it is migrated). Then the demo content (`load_demo`) and
the states the matrix needs beyond it:

- five upcoming meetings of the demo network, each showing one registration box: the
  demo member registered (confirmed), full (the member would be waitlisted), the member
  on the waitlist, members only (for the non-member), and one where the member holds a
  seat offered from the waitlist;
- a colleague at Aarhus Kommune, so "send to a colleague" has someone to choose;
- a fresh evaluation link for the demo member's 2021 meeting, a renewal link for Aarhus
  Kommune's membership, and the cancel link of the member's confirmed registration.
"""

import datetime
import json
import sys
from pathlib import Path

from django.utils import timezone


def prepare(serialized: Path | None) -> dict[str, str]:
    from django.core.management import call_command
    from django.db import connection

    if serialized is not None:
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(serialized.read_text())
    else:
        call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    return seed()


def seed() -> dict[str, str]:
    from meetings import emails, evaluation
    from meetings.demo import DECEMBER_SLUG
    from meetings.evaluation_models import EvaluationInvitation
    from meetings.factories import MeetingPageFactory, RegistrationFactory
    from meetings.models import MeetingPage, Registration
    from network.demo import NETWORK_SLUG
    from network.factories import AffiliationFactory
    from network.models import Membership, NetworkPage, Organisation
    from portal.models import User

    network = NetworkPage.objects.get(slug=NETWORK_SLUG)
    member = User.objects.get(email="medlem@aarhus.dk")
    aarhus = Organisation.objects.get(municipality_code="751")
    odense = Organisation.objects.get(municipality_code="461")
    AffiliationFactory(
        person__email="kollega@aarhus.dk",
        person__first_name="Kirsten",
        person__last_name="Kollega",
        organisation=aarhus,
    )

    def meeting(slug: str, title: str, **fields) -> MeetingPage:
        return MeetingPageFactory(parent=network, slug=slug, title=title, **fields)

    registered = meeting("tryghed", "Netværksmøde: Tryghed i boligområderne")
    registration = RegistrationFactory(meeting=registered, person=member, organisation=aarhus)

    full = meeting(
        "boligsocial-oekonomi", "Netværksmøde: Boligsocial økonomi", capacity=1, trial_places=0
    )
    RegistrationFactory(meeting=full, organisation=odense, person__email="deltager@odense.dk")

    waitlisted = meeting("venteliste", "Netværksmøde: Udlejning", capacity=1, trial_places=0)
    RegistrationFactory(meeting=waitlisted, organisation=odense, person__email="gaest@odense.dk")
    RegistrationFactory(
        meeting=waitlisted,
        person=member,
        organisation=aarhus,
        status=Registration.Status.WAITLISTED,
        waitlist_reason=Registration.WaitlistReason.CAPACITY,
        confirmed_at=None,
    )

    members_only = meeting(
        "helhedsplaner",
        "Netværksmøde for medlemmer: Helhedsplaner",
        audience=MeetingPage.Audience.MEMBERS,
    )

    needs_approval = meeting("godkendelse", "Netværksmøde: Særlige vilkår", requires_approval=True)
    RegistrationFactory(
        meeting=needs_approval,
        person=member,
        organisation=aarhus,
        status=Registration.Status.PENDING,
        confirmed_at=None,
    )

    offered_meeting = meeting("anvisning", "Netværksmøde: Anvisning", capacity=1, trial_places=0)
    offer = RegistrationFactory(
        meeting=offered_meeting,
        person=member,
        organisation=aarhus,
        status=Registration.Status.OFFERED,
        confirmed_at=None,
        offer_expires_at=timezone.now() + datetime.timedelta(days=2),
    )

    december = MeetingPage.objects.get(slug=DECEMBER_SLUG)
    december_registration = december.registrations.get(person=member)
    invitation, _ = EvaluationInvitation.objects.update_or_create(
        meeting=december,
        registration=december_registration,
        defaults={"sent_at": timezone.now(), "answered": False},
    )
    membership = Membership.objects.filter(
        organisation=aarhus, network=network, year=timezone.localdate().year
    ).first()

    upcoming = MeetingPage.objects.get(slug="naeste-netvaerksmoede")
    # A municipality's signed consent link (no login): Aarhus is a party to a demo agreement.
    from network.library import services as library_services
    from network.library.models import Agreement

    agreement = Agreement.objects.filter(municipality=aarhus).first()
    consent_link = (
        "/aftaler/samtykke/"
        + library_services.consent_token(agreement=agreement, organisation=aarhus, person=member)
        + "/"
    )
    return {
        "party_consent": consent_link,
        "pending_meeting": needs_approval.url,
        "signup_done": f"/netvaerk/tilmelding/{membership.pk}/" if membership else "",
        "registered_meeting": registered.url,
        "full_meeting": full.url,
        "waitlisted_meeting": waitlisted.url,
        "members_only_meeting": members_only.url,
        "upcoming_meeting": upcoming.url,
        "register": f"/moeder/{upcoming.pk}/tilmeld/",
        "send_colleague": f"/moeder/tilmelding/{registration.pk}/send-en-kollega/",
        "cancel": f"/moeder/tilmelding/{registration.pk}/afmeld/",
        "cancel_by_token": f"/moeder/afmeld/{emails.cancel_token(registration)}/",
        "offer": f"/moeder/tilmelding/{offer.pk}/tilbud/",
        "evaluation": f"/moeder/evaluering/{evaluation.make_token(invitation)}/",
        "renew": membership.renewal_path() if membership else "",
        "renew_cancel": membership.cancel_path() if membership else "",
        "directory": f"/netvaerk/{network.pk}/medlemmer/",
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(prepare(Path(sys.argv[1]) if len(sys.argv) > 1 else None)))
