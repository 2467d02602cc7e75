"""Demo content for the network app (run by `manage.py load_demo` through the portal's
DEMO_CONTENT hook). Idempotent: everything is looked up by a natural key first."""

import datetime

from django.db import transaction
from django.utils import timezone

from portal.demo import add_child, ensure_user
from portal.models import Contact, HomePage, User

from . import pricing
from .models import Affiliation, Membership, NetworkPage, Organisation
from .services import allowed_signup_years

NETWORK_SLUG = "kommunernes-netvaerk-for-udsatte-boligomraader"

# A person at a municipality that is not a member yet (documented in docs/network.md).
NON_MEMBER_ACCOUNT = {
    "email": "boligchef@esbjerg.dk",
    "password": "Esbjerg-demo-2026",
    "first_name": "Eva",
    "last_name": "Esbjerg",
    "job_title": "Boligchef",
    "role": "non-member",
}

# The person who signed up the pending membership.
PENDING_MEMBER_ACCOUNT = {
    "email": "netvaerk@randers.dk",
    "password": "Randers-demo-2026",
    "first_name": "Rasmus",
    "last_name": "Randers",
    "job_title": "Projektleder",
    "role": "pending",
}

# Someone without an Odense address who asks to join Odense Kommune: a request that waits
# for a decision (the dashboard's panel, the affiliations listing's "Godkend").
REQUESTING_ACCOUNT = {
    "email": "soeren@raadgiver.example",
    "password": "Anmoder-demo-2026",
    "first_name": "Søren",
    "last_name": "Sørensen",
    "job_title": "Konsulent",
    "role": "requesting",
}
REQUESTED_ORGANISATION = "461"  # Odense

# Printed by `load_demo --print-accounts` (the DEMO_ACCOUNTS hook in wagtail_hooks.py).
DEMO_ACCOUNTS = [NON_MEMBER_ACCOUNT, PENDING_MEMBER_ACCOUNT, REQUESTING_ACCOUNT]

ACTIVE_MEMBERS = ["751", "101", "461", "851"]  # Aarhus, København, Odense, Aalborg
PENDING_MEMBER = "730"  # Randers
NON_MEMBER = "561"  # Esbjerg

DEMO_EAN = {
    "751": "5798000000001",
    "101": "5798000000018",
    "461": "5798000000025",
    "851": "5798000000032",
    "730": "5798000000049",
}


def network_page(home: HomePage) -> NetworkPage:
    coordinator = Contact.objects.filter(email="koordinator@erfa.example").first()
    page = add_child(
        home,
        NetworkPage(
            title="Kommunernes Netværk for Udsatte Boligområder",
            slug=NETWORK_SLUG,
            show_in_menus=True,
            intro=(
                "Et dialogbaseret netværk for kommuner, der arbejder med boligplacering, "
                "fysisk omdannelse og boligsociale indsatser i udsatte boligområder."
            ),
            purpose=(
                "<p>Netværket giver kommunerne et fast sted at dele erfaringer om, hvordan "
                "man skaber mere blandede og trygge boligområder: hvem der anvises til hvilke "
                "boliger, hvordan omdannelse planlægges sammen med boligorganisationerne, og "
                "hvad der virker i det boligsociale arbejde.</p>"
            ),
            target_group=(
                "<p>Medarbejdere og ledere i kommunernes bolig-, social- og planafdelinger, "
                "som arbejder med udsatte boligområder og boligsocial anvisning.</p>"
            ),
            working_form=(
                "<p>Vi mødes flere gange om året, skiftevis i KL-huset og hos en "
                "medlemskommune. Møderne bygger på dialog: korte oplæg fra kommuner, "
                "boligorganisationer og forskere, og god tid til at drøfte deltagernes egne "
                "cases.</p>"
            ),
            themes=(
                "Systematisk anvisning og udlejning\n"
                "Boligsocial monitorering\n"
                "Housing First\n"
                "Strategiske aftaler med boligorganisationerne\n"
                "Fysisk omdannelse og udviklingsplaner"
            ),
            price=9500,
            seats_per_member=2,
            terms=(
                "<p>Medlemskabet gælder for et kalenderår og faktureres elektronisk ved "
                "årets start. Hver medlemskommune har to pladser pr. møde. Medlemskabet "
                "fornyes ikke automatisk.</p>"
            ),
            responsible_contact=coordinator,
        ),
    )
    if coordinator is not None and not page.coordinators.filter(pk=coordinator.pk).exists():
        page.coordinators.add(coordinator)
        page.save_revision().publish()
    return page


def affiliate(person: User, organisation: Organisation, *, role=Affiliation.Role.PARTICIPANT):
    Affiliation.objects.get_or_create(
        person=person,
        organisation=organisation,
        defaults={
            "role": role,
            "status": Affiliation.Status.VERIFIED,
            "verified_via": Affiliation.VerifiedVia.EMAIL_DOMAIN,
            "verified_email": person.email,
            "decided_at": timezone.now(),
            "listed_in_directory": True,
        },
    )


@transaction.atomic
def load() -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    network = network_page(home)
    year = timezone.localdate().year
    municipalities = {
        o.municipality_code: o
        for o in Organisation.objects.municipalities().filter(
            municipality_code__in=[*ACTIVE_MEMBERS, PENDING_MEMBER, NON_MEMBER]
        )
    }
    editor = User.objects.filter(email="redaktoer@erfa.example").first()

    for code in ACTIVE_MEMBERS:
        organisation = municipalities[code]
        Membership.objects.get_or_create(
            organisation=organisation,
            network=network,
            year=year,
            defaults={
                "status": Membership.Status.ACTIVE,
                "ean": DEMO_EAN[code],
                "purchase_reference": f"Netværk {year}",
                "invoice_contact_name": "Bogholderiet",
                "invoice_contact_email": f"faktura@{organisation.domain_list[0]}",
                "terms_accepted_at": timezone.now(),
                "approved_by": editor,
                "approved_at": timezone.now(),
                # Members since before the year began: the whole year.
                **pricing.charge_fields(
                    pricing.network_price(network, year=year, on=datetime.date(year - 1, 12, 1))
                ),
            },
        )

    member = User.objects.filter(email="medlem@aarhus.dk").first()
    if member is not None:
        affiliate(member, municipalities["751"], role=Affiliation.Role.CONTACT_PERSON)

    pending = municipalities[PENDING_MEMBER]
    randers_person = ensure_user(**PENDING_MEMBER_ACCOUNT)
    affiliate(randers_person, pending)
    Membership.objects.get_or_create(
        organisation=pending,
        network=network,
        year=allowed_signup_years()[-1],
        defaults={
            "status": Membership.Status.APPLIED,
            "ean": DEMO_EAN[PENDING_MEMBER],
            "purchase_reference": "Indkøb 4711",
            "invoice_contact_name": "Rasmus Randers",
            "invoice_contact_email": "netvaerk@randers.dk",
            "signed_up_by": randers_person,
            "terms_accepted_at": timezone.now(),
            **pricing.charge_fields(
                pricing.network_price(
                    network, year=allowed_signup_years()[-1], on=timezone.localdate()
                )
            ),
        },
    )

    non_member = ensure_user(**NON_MEMBER_ACCOUNT)
    affiliate(non_member, municipalities[NON_MEMBER])

    requesting = ensure_user(**REQUESTING_ACCOUNT)
    Affiliation.objects.get_or_create(
        person=requesting,
        organisation=municipalities[REQUESTED_ORGANISATION],
        defaults={"status": Affiliation.Status.REQUESTED},
    )
