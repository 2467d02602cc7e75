"""Demo content for agreements and inspiration material (run by `manage.py load_demo`
through the portal's DEMO_CONTENT hook, after the network app's). Idempotent: every object
is looked up by a natural key first."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.search import index

from network.demo import affiliate
from network.models import Organisation, OrganisationDomain
from portal.demo import add_child, ensure_user
from portal.models import Contact, HomePage
from portal.regions import Region

from .models import (
    Agreement,
    AgreementCallPage,
    AgreementConsent,
    AgreementLibraryPage,
    Audience,
    NationalOverviewPage,
    ResourceDocument,
    ResourceIndexPage,
    ResourcePage,
    Topic,
)
from .pdf import simple_pdf

HOUSING_ACCOUNT = {
    "email": "udlejning@bf-oestjylland.example",
    "password": "Bolig-demo-2026",
    "first_name": "Ulla",
    "last_name": "Udlejning",
    "job_title": "Udlejningschef",
    "role": "housing",
}

# Printed by `load_demo --print-accounts` (the DEMO_ACCOUNTS hook in wagtail_hooks.py).
DEMO_ACCOUNTS = [HOUSING_ACCOUNT]

DISTRICT_CONSULTANTS = [
    ("Helle Hovmand", "helle.hovmand@erfa.example", Region.HOVEDSTADEN),
    ("Søren Sjølund", "soeren.sjoelund@erfa.example", Region.SJAELLAND),
    ("Dorthe Dalum", "dorthe.dalum@erfa.example", Region.SYDDANMARK),
    ("Mikkel Mørup", "mikkel.moerup@erfa.example", Region.MIDTJYLLAND),
    ("Nina Nørgaard", "nina.noergaard@erfa.example", Region.NORDJYLLAND),
]


def next_month(today: datetime.date) -> datetime.date:
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def organisation(name: str, kind: str, domain: str, **fields) -> Organisation:
    org, _ = Organisation.objects.get_or_create(name=name, kind=kind, defaults=fields)
    OrganisationDomain.objects.get_or_create(organisation=org, domain=domain)
    return org


def pdf(title: str, lines: list[str]) -> ContentFile:
    return ContentFile(simple_pdf(title, lines), name=f"{title[:40]}.pdf")


CALL_2016_INTRO = (
    "<p>Mange boligorganisationer har i de seneste år lavet aftaler med deres kommune om, "
    "hvor flygtninge med opholdstilladelse skal bo, og om hvordan de bliver taget imod i "
    "afdelingerne. Men ingen har et samlet billede af, hvad der er aftalt rundt om i landet.</p>"
    "<p>Derfor bad vi boligorganisationerne, eller de administrationsselskaber der driver dem, "
    "om at fortælle os om deres aftaler: aftaler om boligplacering og aftaler om modtagelse og "
    "integration. Det tog omkring fem minutter at svare, og aftalen kunne vedhæftes.</p>"
    "<p>Vi offentliggør ingen aftale uden parternes samtykke. Svarene bliver til et "
    "landsoverblik, til inspiration for andre, der skal lave en aftale, og måske til et "
    "erfa-netværk, hvor man kan dele viden. Har du spørgsmål, så kontakt din kredskonsulent.</p>"
)


@transaction.atomic
def load() -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    today = timezone.localdate()
    coordinator = Contact.objects.filter(email="koordinator@erfa.example").first()
    for name, email, region in DISTRICT_CONSULTANTS:
        Contact.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "title": "Kredskonsulent",
                "phone": "33 76 20 00",
                "region": region,
            },
        )

    # Housing organisations and the administration company that runs one of them.
    company = organisation(
        "Fælles Boligadministration",
        Organisation.Kind.ADMINISTRATION_COMPANY,
        "faelles-bolig.example",
    )
    oestjylland = organisation(
        "Boligforeningen Østjylland",
        Organisation.Kind.HOUSING_ORGANISATION,
        "bf-oestjylland.example",
        region=Region.MIDTJYLLAND,
    )
    fjordbo = organisation(
        "Boligselskabet Fjordbo",
        Organisation.Kind.HOUSING_ORGANISATION,
        "fjordbo.example",
        region=Region.HOVEDSTADEN,
        administered_by=company,
    )
    person = ensure_user(**HOUSING_ACCOUNT)
    affiliate(person, oestjylland)

    closed_call = add_child(
        home,
        AgreementCallPage(
            title="Kortlægning af lokale aftaler om boligplacering af flygtninge (2016)",
            slug="kortlaegning-af-lokale-aftaler-2016",
            intro=CALL_2016_INTRO,
            deadline=datetime.date(2016, 2, 20),
            closed_text=(
                "<p>Fristen var den 20. februar 2016. Tak for de mange svar. Resultatet kan ses "
                "i landsoverblikket, og de aftaler, parterne har givet lov til at dele, ligger "
                "i aftalebiblioteket.</p>"
            ),
            contact=coordinator,
            responsible_contact=coordinator,
        ),
    )
    add_child(
        home,
        AgreementCallPage(
            title="Fortæl os om jeres aftale med kommunen",
            slug="indberet-aftaler",
            show_in_menus=True,
            intro=(
                "<p>Har jeres boligorganisation en aftale med kommunen om boligplacering, "
                "anvisning, fleksibel udlejning eller modtagelse af nye beboere? Fortæl os om "
                "den. Det tager omkring fem minutter, og I bestemmer selv, om aftalen må deles "
                "offentligt, med netværkenes medlemmer eller kun indgå i landsoverblikket.</p>"
            ),
            deadline=next_month(today),
            contact=coordinator,
            responsible_contact=coordinator,
        ),
    )
    add_child(
        home,
        AgreementLibraryPage(
            title="Aftalebibliotek",
            slug="aftalebibliotek",
            show_in_menus=True,
            intro=(
                "<p>Aftaler mellem kommuner og boligorganisationer, delt med parternes "
                "samtykke. Søg efter kommune, boligorganisation, emne eller år.</p>"
            ),
            responsible_contact=coordinator,
        ),
    )
    add_child(
        home,
        NationalOverviewPage(
            title="Landsoverblik over lokale aftaler",
            slug="landsoverblik",
            intro=(
                "<p>Hvor mange af landets 98 kommuner har en aftale med boligorganisationerne "
                "om boligplacering og integration? Tallene bygger på alle behandlede svar.</p>"
            ),
            responsible_contact=coordinator,
        ),
    )

    municipalities = {
        o.municipality_code: o
        for o in Organisation.objects.municipalities().filter(
            municipality_code__in=["751", "101", "461", "851", "561"]
        )
    }
    editor_answers = [
        {
            "title": "Aarhus Kommune og Boligforeningen Østjylland",
            "summary": (
                "Kommunen anviser 25 boliger om året til flygtninge. Boligforeningen sørger "
                "for en velkomst i afdelingen med frivillige beboerværter."
            ),
            "municipality": "751",
            "organisations": [oestjylland],
            "state": Agreement.State.SIGNED,
            "topics": ["placement", "reception"],
            "signed_on": datetime.date(2016, 1, 12),
            "dwellings_per_year": 25,
            "consent": Agreement.Consent.PUBLIC,
            "status": Agreement.Status.PUBLISHED,
        },
        {
            "title": "Københavns Kommune og Boligselskabet Fjordbo",
            "summary": (
                "Kommunal anvisning af hver fjerde ledige bolig og fleksibel udlejning i to "
                "afdelinger."
            ),
            "municipality": "101",
            "organisations": [fjordbo],
            "submitting": company,
            "state": Agreement.State.SIGNED,
            "topics": ["allocation", "letting"],
            "signed_on": datetime.date(2015, 11, 30),
            "vacant_share": 25,
            "consent": Agreement.Consent.MEMBERS,
            "status": Agreement.Status.PUBLISHED,
        },
        {
            # One party still to answer: the housing organisation shares it with members,
            # the municipality has not answered, so it stays internal.
            "title": "Odense Kommune og Boligforeningen Østjylland",
            "summary": "En aftale om boligplacering er under forhandling.",
            "municipality": "461",
            "organisations": [oestjylland],
            "state": Agreement.State.NEGOTIATING,
            "topics": ["placement"],
            "consent": Agreement.Consent.MEMBERS,
            "municipality_consent": None,
            "status": Agreement.Status.PUBLISHED,
        },
        {
            # One party declined: Aarhus Kommune (its contact person, medlem@aarhus.dk,
            # answered through the e-mailed link) does not want it shared.
            "title": "Aarhus Kommune og Boligselskabet Fjordbo",
            "summary": "Fjordbo stiller to boliger om året til rådighed for kommunens anvisning.",
            "municipality": "751",
            "organisations": [fjordbo],
            "submitting": company,
            "state": Agreement.State.SIGNED,
            "topics": ["placement"],
            "signed_on": datetime.date(2017, 5, 1),
            "consent": Agreement.Consent.PUBLIC,
            "municipality_consent": AgreementConsent.Level.DECLINED,
            "status": Agreement.Status.PUBLISHED,
        },
        {
            "title": "Aalborg Kommune og Boligselskabet Fjordbo",
            "summary": "",
            "municipality": "851",
            "organisations": [fjordbo],
            "submitting": company,
            "state": Agreement.State.SIGNED,
            "topics": ["reception"],
            "signed_on": datetime.date(2016, 2, 1),
            "consent": Agreement.Consent.PUBLIC,
            "status": Agreement.Status.SUBMITTED,
        },
        {
            "title": "Esbjerg Kommune og Boligforeningen Østjylland",
            "summary": "",
            "municipality": "561",
            "organisations": [oestjylland],
            "state": Agreement.State.NONE,
            "topics": [],
            "consent": Agreement.Consent.INTERNAL,
            "status": Agreement.Status.PUBLISHED,
        },
    ]
    for data in editor_answers:
        if Agreement.objects.filter(title=data["title"]).exists():
            continue
        agreement = Agreement(
            call=closed_call,
            title=data["title"],
            summary=data["summary"],
            municipality=municipalities[data["municipality"]],
            submitting_organisation=data.get("submitting", data["organisations"][0]),
            state=data["state"],
            signed_on=data.get("signed_on"),
            dwellings_per_year=data.get("dwellings_per_year"),
            vacant_share=data.get("vacant_share"),
            consent=data["consent"],
            status=data["status"],
            submitted_by=person,
            submitted_at=timezone.now(),
            reviewed_at=timezone.now() if data["status"] == Agreement.Status.PUBLISHED else None,
        )
        if data["state"] != Agreement.State.NONE:
            agreement.document.save(
                "aftale.pdf",
                pdf(data["title"], [data["summary"] or "Aftaletekst.", "Demoindhold."]),
                save=False,
            )
            agreement.document_name = f"{data['title']}.pdf"
            agreement.document_type = "application/pdf"
            agreement.document_size = agreement.document.size
        agreement.save()
        agreement.housing_organisations.set(data["organisations"])
        agreement.topics.set(Topic.objects.filter(code__in=data["topics"]))
        record_demo_consent(
            agreement,
            person=person,
            housing=data["consent"],
            municipality=data.get("municipality_consent", data["consent"])
            if data["status"] == Agreement.Status.PUBLISHED
            else None,
        )
        index.insert_or_update_object(agreement)

    load_overview_spread(call=closed_call, person=person, housing=[oestjylland, fjordbo])

    inspiration = add_child(
        home,
        ResourceIndexPage(
            title="Inspiration",
            slug="inspiration",
            show_in_menus=True,
            intro="<p>Vejledninger, skabeloner og eksempler til jeres arbejde med aftaler.</p>",
            responsible_contact=coordinator,
        ),
    )
    guide = add_child(
        inspiration,
        ResourcePage(
            title="Sådan indgår I en aftale med kommunen",
            slug="saadan-indgaar-i-en-aftale",
            intro="En kort vejledning i fem trin, fra første møde til underskrevet aftale.",
            body=[
                (
                    "paragraph",
                    "<p>Start med at afklare, hvad I hver især kan bidrage med: kommunen med "
                    "anvisning og sagsbehandling, boligorganisationen med boliger og en god "
                    "modtagelse i afdelingen. Skriv ned, hvor mange boliger det drejer sig om, "
                    "og hvordan I følger op.</p>",
                ),
            ],
            audience=Audience.PUBLIC,
            responsible_contact=coordinator,
        ),
    )
    if not guide.topics.exists():
        guide.topics.set(Topic.objects.filter(code__in=["placement", "reception"]))
        guide.save_revision().publish()
    if not guide.documents.exists():
        ResourceDocument.objects.create(
            page=guide,
            title="Tjekliste til forhandlingen",
            file=pdf("Tjekliste", ["1. Hvem anviser?", "2. Hvor mange boliger?"]),
            file_name="Tjekliste til forhandlingen.pdf",
            file_type="application/pdf",
            file_size=len(simple_pdf("Tjekliste", ["1. Hvem anviser?", "2. Hvor mange boliger?"])),
        )
    template = add_child(
        inspiration,
        ResourcePage(
            title="Skabelon: samarbejdsaftale om modtagelse",
            slug="skabelon-samarbejdsaftale",
            intro="En skabelon, som medlemmerne kan tilpasse til egen kommune.",
            audience=Audience.MEMBERS,
            responsible_contact=coordinator,
        ),
    )
    if not template.documents.exists():
        content = simple_pdf("Skabelon", ["Aftale mellem ... Kommune og ..."])
        ResourceDocument.objects.create(
            page=template,
            title="Skabelon (PDF)",
            file=ContentFile(content, name="skabelon.pdf"),
            file_name="Skabelon til samarbejdsaftale.pdf",
            file_type="application/pdf",
            file_size=len(content),
            audience=Audience.MEMBERS,
        )


# Answers that feed only the national overview (consent `internal`), spread over every
# region, so the demo overview shows figures rather than only suppressed cells.
SPREAD_STATES = [
    Agreement.State.SIGNED,
    Agreement.State.NEGOTIATING,
    Agreement.State.SIGNED,
    Agreement.State.NONE,
]
HAND_WRITTEN_CODES = {"751", "101", "461", "851", "561"}
SPREAD_TOPICS = [["placement"], ["reception", "placement"], ["allocation"], ["letting"]]


def load_overview_spread(*, call, person, housing) -> None:
    # A fixed choice (every third municipality by code, minus those with a hand-written
    # answer above), so running the demo again picks the same ones.
    municipalities = [
        m
        for m in Organisation.objects.municipalities().order_by("municipality_code")[::3]
        if m.municipality_code not in HAND_WRITTEN_CODES
    ]
    for n, municipality in enumerate(municipalities):
        title = f"{municipality.name}: svar til landsoverblikket"
        if Agreement.objects.filter(title=title).exists():
            continue
        state = SPREAD_STATES[n % len(SPREAD_STATES)]
        agreement = Agreement(
            call=call,
            title=title,
            summary="",
            municipality=municipality,
            submitting_organisation=housing[n % len(housing)],
            state=state,
            signed_on=(
                datetime.date(2014 + n % 3, 1 + n % 12, 1)
                if state == Agreement.State.SIGNED
                else None
            ),
            consent=Agreement.Consent.INTERNAL,
            status=Agreement.Status.PUBLISHED,
            submitted_by=person,
            submitted_at=timezone.now(),
            reviewed_at=timezone.now(),
        )
        if state != Agreement.State.NONE:
            agreement.document.save("aftale.pdf", pdf(title, ["Demoindhold."]), save=False)
            agreement.document_name = f"{title}.pdf"
            agreement.document_type = "application/pdf"
            agreement.document_size = agreement.document.size
        agreement.save()
        agreement.housing_organisations.set([housing[n % len(housing)]])
        record_demo_consent(
            agreement,
            person=person,
            housing=Agreement.Consent.INTERNAL,
            municipality=Agreement.Consent.INTERNAL,
        )
        if state != Agreement.State.NONE:
            agreement.topics.set(Topic.objects.filter(code__in=SPREAD_TOPICS[n % 4]))


def record_demo_consent(agreement, *, person, housing: str, municipality: str | None) -> None:
    """The parties' answers: the submitter's for the housing organisations, and the
    municipality's (None: not answered yet) through its contact person's link, or, for
    a municipality without one, registered by staff. Then the level shown, by the rule."""
    from portal.models import User

    now = timezone.now()
    for org in agreement.housing_organisations.all():
        AgreementConsent.objects.get_or_create(
            agreement=agreement,
            organisation=org,
            defaults={"level": housing, "given_by": person, "via": "submission", "decided_at": now},
        )
    if municipality is not None:
        contact = User.objects.filter(
            pk__in=agreement.municipality.contact_people().values("person_id")
        ).first()
        AgreementConsent.objects.get_or_create(
            agreement=agreement,
            organisation=agreement.municipality,
            defaults={
                "level": municipality,
                "given_by": contact,
                "via": AgreementConsent.Via.SIGNED_LINK if contact else AgreementConsent.Via.STAFF,
                "note": "" if contact else "Demo: kommunen svarede pr. e-mail.",
                "decided_at": now,
            },
        )
    agreement.consent = agreement.compute_consent()
    agreement.save(update_fields=["consent"])
