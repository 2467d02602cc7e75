"""Demo content for the meetings app (run by `manage.py load_demo` through the portal's
DEMO_CONTENT hook, after the network app's). Idempotent: everything is looked up by a
natural key first.

- "3. netværksmøde 2021", 8 December 2021 at KL-huset, with a full-day programme, minutes
  for members and a past registration for the demo member.
- An upcoming meeting next month (relative to today) with registration open and trial
  places, so the journeys work on any day. If the database outlives it, the next run moves
  it to next month again.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from network.demo import NETWORK_SLUG
from network.library.pdf import simple_pdf
from network.models import Membership, NetworkPage, Organisation
from portal.demo import add_child
from portal.models import Contact, User

from .blocks import ProgrammeItemKind as Kind
from .factories import programme_item
from .models import MeetingMaterial, MeetingPage, Registration, Venue

DECEMBER_SLUG = "3-netvaerksmoede-2021"
UPCOMING_SLUG = "naeste-netvaerksmoede"


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def venues() -> tuple[Venue, Venue]:
    kl_huset, _ = Venue.objects.get_or_create(
        name="KL-huset",
        defaults={
            "address": "Weidekampsgade 10",
            "postcode": "2300",
            "city": "København S",
            "directions": (
                "Metro M1 til Islands Brygge og ca. 5 minutters gang. Begrænset "
                "betalingsparkering i området."
            ),
            "accessibility": "Niveaufri adgang fra hovedindgangen, elevator og handicaptoilet.",
            "map_url": "https://www.openstreetmap.org/search?query=Weidekampsgade%2010%2C%202300%20K%C3%B8benhavn",
        },
    )
    aarhus, _ = Venue.objects.get_or_create(
        name="Aarhus Rådhus",
        defaults={
            "address": "Rådhuspladsen 2",
            "postcode": "8000",
            "city": "Aarhus C",
            "directions": "Fem minutters gang fra Aarhus H. Indgang fra Rådhuspladsen.",
            "accessibility": "Niveaufri adgang og elevator.",
            "map_url": "https://www.openstreetmap.org/search?query=R%C3%A5dhuspladsen%202%2C%20Aarhus",
        },
    )
    return kl_huset, aarhus


def december_programme() -> list[dict]:
    """A full day on systematic allocation and letting of housing, in our own words."""
    return [
        programme_item("9.30", "10.00", "Ankomst, kaffe og rundstykker", Kind.MEAL),
        programme_item(
            "10.00",
            "10.15",
            "Velkommen og dagens program",
            Kind.TALK,
            description="<p>Netværkets koordinator samler op fra sidste møde og sætter dagens tema.</p>",
            speakers=[("Karen Koordinator", "Netværkskoordinator", "Erfa-netværket")],
        ),
        programme_item(
            "10.15",
            "11.00",
            "Boligsocial monitorering: at se udviklingen, før den bliver et problem",
            Kind.TALK,
            description=(
                "<p>Hvordan kan kommunen løbende følge beboersammensætningen i de enkelte "
                "afdelinger, og hvilke tal giver egentlig mening at styre efter? Et oplæg om "
                "at bygge et enkelt overvågningsværktøj sammen med boligorganisationerne.</p>"
            ),
            speakers=[("Mette Holm", "Analysechef", "Testrup Kommune")],
        ),
        programme_item("11.00", "11.15", "Pause", Kind.BREAK),
        programme_item(
            "11.15",
            "12.00",
            "Housing First i anvisningen",
            Kind.TALK,
            description=(
                "<p>Erfaringer med at give borgere i hjemløshed en egen bolig først og "
                "støtten bagefter, og hvad det kræver af samarbejdet mellem anvisning, "
                "socialforvaltning og udlejer.</p>"
            ),
            speakers=[
                ("Jonas Friis", "Socialfaglig konsulent", "Aarhus Kommune"),
                ("Lise Bak", "Boligsocial medarbejder", "Boligforeningen Ringgården"),
            ],
        ),
        programme_item("12.00", "12.45", "Frokost", Kind.MEAL),
        programme_item(
            "12.45",
            "14.00",
            "Workshop: strategiske aftaler med boligorganisationerne",
            Kind.WORKSHOP,
            description=(
                "<p>I mindre grupper ser vi på, hvad en god aftale om kommunal anvisning og "
                "fleksibel udlejning indeholder: mål, fordeling af boliger, opfølgning og "
                "hvem der gør hvad. Tag gerne jeres egne aftaler med.</p>"
            ),
        ),
        programme_item("14.00", "14.15", "Kaffe og kage", Kind.BREAK),
        programme_item(
            "14.15",
            "15.00",
            "Den nye liste over forebyggelsesområder: hvad betyder den for os?",
            Kind.NETWORKING,
            description=(
                "<p>En åben drøftelse af den netop offentliggjorte liste, og hvordan de "
                "berørte kommuner kan støtte hinanden i det videre arbejde.</p>"
            ),
        ),
        programme_item(
            "15.00",
            "15.30",
            "Opsamling og næste års møder",
            Kind.TALK,
            speakers=[("Karen Koordinator", "Netværkskoordinator", "Erfa-netværket")],
        ),
    ]


def upcoming_programme() -> list[dict]:
    return [
        programme_item("10.00", "10.30", "Ankomst og kaffe", Kind.MEAL),
        programme_item(
            "10.30",
            "11.30",
            "Fleksibel udlejning i praksis",
            Kind.TALK,
            description=(
                "<p>Hvordan bruges fleksible udlejningskriterier til at skabe mere blandede "
                "boligområder, og hvordan følger man op på effekten?</p>"
            ),
            speakers=[("Anders Møller", "Udlejningschef", "Boligforeningen Østbo")],
        ),
        programme_item("11.30", "12.15", "Frokost", Kind.MEAL),
        programme_item(
            "12.15",
            "13.30",
            "Workshop: fra aftale til handling",
            Kind.WORKSHOP,
            description="<p>Deltagerne arbejder med egne cases i små grupper.</p>",
        ),
        programme_item("13.30", "14.00", "Netværk og afrunding", Kind.NETWORKING),
    ]


def _next_month(today: datetime.date) -> datetime.date:
    """A Wednesday about a month from today."""
    day = today + datetime.timedelta(days=30)
    return day + datetime.timedelta(days=(2 - day.weekday()) % 7)


def carry_memberships_into(network: NetworkPage, *, year: int, from_year: int) -> None:
    """When "next month" is January, the demo members need next year's membership too,
    or the demo member could not register for the upcoming meeting."""
    if year == from_year:
        return
    for membership in Membership.objects.active_in(from_year).filter(network=network):
        Membership.objects.get_or_create(
            organisation=membership.organisation,
            network=network,
            year=year,
            defaults={
                "status": Membership.Status.ACTIVE,
                "ean": membership.ean,
                "purchase_reference": membership.purchase_reference,
                "invoice_contact_name": membership.invoice_contact_name,
                "invoice_contact_email": membership.invoice_contact_email,
                "terms_accepted_at": membership.terms_accepted_at,
                "approved_by": membership.approved_by,
                "approved_at": membership.approved_at,
            },
        )


@transaction.atomic
def load() -> None:
    network = NetworkPage.objects.filter(slug=NETWORK_SLUG).first()
    if network is None:
        return
    kl_huset, aarhus = venues()
    contact = Contact.objects.filter(email="koordinator@erfa.example").first()

    december = add_child(
        network,
        MeetingPage(
            title="3. netværksmøde 2021",
            slug=DECEMBER_SLUG,
            start=_aware(datetime.date(2021, 12, 8), 9, 30),
            end=_aware(datetime.date(2021, 12, 8), 15, 30),
            venue=kl_huset,
            lead=(
                "Årets sidste møde handler om systematisk anvisning og udlejning af boliger: "
                "boligsocial monitorering, Housing First og strategiske aftaler med "
                "boligorganisationerne."
            ),
            practical_information=(
                "<p>Mødet er gratis for medlemskommuner. Frokost og kaffe er inkluderet. "
                "Kommuner, der tilmelder sig netværket for 2022, kan deltage gratis, så "
                "længe der er pladser.</p>"
            ),
            capacity=40,
            seats_per_organisation=2,
            trial_places=5,
            audience=MeetingPage.Audience.MEMBERS_AND_TRIAL,
            registration_closes=_aware(datetime.date(2021, 12, 1), 12, 0),
            ask_joins_dinner=False,
            materials_audience=MeetingPage.MaterialsAudience.MEMBERS,
            programme=december_programme(),
            responsible_contact=contact,
        ),
    )
    if not december.materials.exists():
        material = MeetingMaterial(meeting=december, title="Referat af mødet", kind="minutes")
        MeetingMaterial._meta.get_field("file").attach(
            material,
            ContentFile(
                simple_pdf(
                    "Referat af 3. netværksmøde 2021",
                    [
                        "8. december 2021, KL-huset.",
                        "Deltagerne drøftede boligsocial monitorering, Housing First og",
                        "strategiske aftaler med boligorganisationerne.",
                    ],
                ),
                name="Referat af 3. netværksmøde 2021.pdf",
            ),
        )
        material.save()

    today = timezone.localdate()
    day = _next_month(today)
    upcoming = add_child(
        network,
        MeetingPage(
            title="Netværksmøde: fleksibel udlejning",
            slug=UPCOMING_SLUG,
            start=_aware(day, 10, 0),
            end=_aware(day, 14, 0),
            venue=aarhus,
            lead="Vi ser på fleksibel udlejning, og hvordan aftaler bliver til handling.",
            practical_information="<p>Frokost er inkluderet. Der er middag for dem, der ønsker det.</p>",
            capacity=30,
            seats_per_organisation=2,
            trial_places=3,
            audience=MeetingPage.Audience.MEMBERS_AND_TRIAL,
            ask_joins_dinner=True,
            programme=upcoming_programme(),
            responsible_contact=contact,
        ),
    )
    if upcoming.end < timezone.now():
        # The database outlived the demo's "next month": move the meeting forward.
        upcoming.start, upcoming.end = _aware(day, 10, 0), _aware(day, 14, 0)
        upcoming.registration_opens = upcoming.registration_closes = None
        upcoming.save_revision().publish()

    carry_memberships_into(network, year=upcoming.date.year, from_year=today.year)

    member = User.objects.filter(email="medlem@aarhus.dk").first()
    aarhus_kommune = Organisation.objects.filter(municipality_code="751").first()
    if member and not Registration.objects.filter(meeting=december, person=member).exists():
        Registration.objects.create(
            meeting=december,
            person=member,
            organisation=aarhus_kommune,
            registered_by=member,
            kind=Registration.Kind.MEMBER,
            status=Registration.Status.CONFIRMED,
            created_at=_aware(datetime.date(2021, 11, 20), 9, 0),
            confirmed_at=_aware(datetime.date(2021, 11, 20), 9, 0),
            attended_at=_aware(datetime.date(2021, 12, 8), 9, 40),
            dietary_needs="Vegetar",
        )
