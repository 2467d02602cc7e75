"""Demo content for `make run`. Idempotent: every object is looked up by a natural key
and only created when missing, so running it twice changes nothing."""

import datetime
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, PageLogEntry, Site

from .models import (
    AccessibilityStatementPage,
    Contact,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SiteSettings,
    StandardPage,
    User,
)
from .regions import Region

# Demo only: these passwords are printed by `make run` and must never reach production.
DEMO_ACCOUNTS = [
    {
        "email": "redaktoer@erfa.example",
        "password": "Redaktoer-demo-2026",
        "first_name": "Rikke",
        "last_name": "Redaktør",
        "job_title": "Netværkskoordinator",
        "role": "editor",
    },
    {
        # A coordinator in Wagtail's Editors group, without the staff/superuser flags.
        "email": "koordinator@erfa.example",
        "password": "Koordinator-demo-2026",
        "first_name": "Karen",
        "last_name": "Koordinator",
        "job_title": "Netværkskoordinator",
        "role": "coordinator",
    },
    {
        "email": "medlem@aarhus.dk",
        "password": "Medlem-demo-2026",
        "first_name": "Mads",
        "last_name": "Medlem",
        "job_title": "Boligsocial konsulent",
        "role": "member",
    },
    {
        "email": "gaest@example.org",
        "password": "Gaest-demo-2026",
        "first_name": "Gitte",
        "last_name": "Gæst",
        "job_title": "",
        "role": "visitor",
    },
]


# Demo only: the demo editor's authenticator-app secret (base32), so a coordinator trying
# `make run` can enter the admin, which requires two-factor login. Add it to an
# authenticator app, or print the current code with `manage.py load_demo --totp-code`.
DEMO_EDITOR_TOTP_SECRET = "ERFADEMOREDAKTOERERFADEMOREDAKTO"  # noqa: S105 (demo only)


def ensure_demo_totp(user, secret: str = DEMO_EDITOR_TOTP_SECRET) -> None:
    """Give the demo account an authenticator app with the fixed demo secret (and
    recovery codes), unless it has one."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def demo_totp_code(secret: str = DEMO_EDITOR_TOTP_SECRET) -> str:
    """The code an authenticator app with the demo secret shows right now."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def ensure_user(*, email, password, first_name, last_name, job_title="", role="") -> User:
    """The demo account with this e-mail, created when missing, with a verified primary
    address. Role "editor" makes a superuser in the Editors and Moderators groups,
    "coordinator" a plain user in the Editors group; other
    roles only label the account in the printed list."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            job_title=job_title,
            is_staff=role == "editor",
            is_superuser=role == "editor",
        )
        if role == "editor":
            user.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
        elif role == "coordinator":
            user.groups.add(*Group.objects.filter(name="Editors"))
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def all_demo_accounts() -> list[dict]:
    """The portal's demo accounts, then each app's (the `DEMO_ACCOUNTS` hook), in app
    order."""
    from . import hooks as portal_hooks

    accounts = list(DEMO_ACCOUNTS)
    for declare in portal_hooks.get(portal_hooks.DEMO_ACCOUNTS):
        accounts.extend(declare())
    return accounts


def add_child(parent: Page, page: Page) -> Page:
    """Add `page` under `parent` unless a child with the same slug exists."""
    existing = parent.get_children().filter(slug=page.slug).specific().first()
    if existing is not None:
        return existing
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def load() -> None:
    for account in DEMO_ACCOUNTS:
        user = ensure_user(**account)
        if account["role"] == "editor":
            ensure_demo_totp(user)

    contact, _ = Contact.objects.get_or_create(
        email="koordinator@erfa.example",
        defaults={
            "name": "Karen Koordinator",
            "title": "Netværkskoordinator",
            "phone": "33 70 30 00",
            "region": Region.HOVEDSTADEN,
        },
    )

    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Erfa-netværk for kommuner og boligorganisationer",
            slug="forside",
            hero_title="Erfa-netværk for kommuner og boligorganisationer",
            hero_text=(
                "<p>Her deler kommuner og boligorganisationer erfaringer, aftaler og "
                "inspiration om boligplacering, integration og udsatte boligområder.</p>"
            ),
            responsible_contact=contact,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            site = Site(is_default_site=True)
        site.root_page = home
        site.site_name = "Erfa-netværk"
        site.save()
        # Wagtail's placeholder "Welcome" page has no place in the portal.
        if old_root is not None and old_root.pk != home.pk and old_root.depth == 2:
            placeholder_pk = old_root.pk
            old_root.delete()
            # Nor in the site history: "Welcome to your new Wagtail site!" deleted.
            PageLogEntry.objects.filter(page_id=placeholder_pk).delete()
    # The site answers at SITE_URL (`make run PORT=8101` sets http://127.0.0.1:8101), so
    # the sitemap and e-mails carry addresses that work; a later run on another port
    # moves the site along.
    address = urlsplit(settings.SITE_URL)
    hostname = address.hostname or "localhost"
    port = address.port or (443 if address.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(
        hostname=hostname, port=port
    )

    about = add_child(
        home,
        StandardPage(
            title="Om netværket",
            slug="om-netvaerket",
            show_in_menus=True,
            intro=(
                "Kommunernes Netværk for Udsatte Boligområder samler kommuner, der arbejder "
                "med boligsociale indsatser, fysisk omdannelse og en mere blandet beboer"
                "sammensætning."
            ),
            body=[
                ("heading", {"text": "Hvad vi gør", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Netværket mødes flere gange om året. Møderne er dialogbaserede: "
                    "deltagerne tager egne cases med, og oplæg fra kommuner, boligorganisationer "
                    "og forskere sætter rammen for drøftelserne.</p>"
                    "<p>Kommuner tilmelder sig for et kalenderår ad gangen. En kommune, der "
                    "overvejer at blive medlem, kan deltage gratis i ét møde.</p>",
                ),
                (
                    "quote",
                    {
                        "quote": "Det er i dialogen med de andre kommuner, vi finder de gode greb.",
                        "attribution": "Deltager fra en jysk kommune",
                    },
                ),
            ],
            responsible_contact=contact,
        ),
    )

    news_index = add_child(
        home,
        NewsIndexPage(
            title="Nyheder",
            slug="nyheder",
            show_in_menus=True,
            responsible_contact=contact,
        ),
    )
    add_child(
        news_index,
        NewsPage(
            title="Årets sidste netværksmøde holdes 8. december i KL-huset",
            slug="aarets-sidste-netvaerksmoede-2021",
            date=datetime.date(2021, 11, 19),
            lead=(
                "Netværket samles en sidste gang i 2021 onsdag den 8. december i KL-huset, "
                "Weidekampsgade 10 i København S. Temaet er systematisk anvisning og udlejning "
                "af boliger."
            ),
            body=[
                (
                    "paragraph",
                    "<p>På mødet ser vi på, hvordan kommunerne kan bruge boligsocial "
                    "monitorering, Housing First og strategiske aftaler med boligorganisationerne "
                    "til at styre, hvem der flytter ind hvor.</p>"
                    "<p>Samtidig er den nye liste over forebyggelsesområder netop offentliggjort. "
                    "Vi tager en første snak om, hvad listen betyder for kommunernes arbejde, "
                    "og hvordan de berørte kommuner kan hjælpe hinanden.</p>"
                    "<p>Tilmelder din kommune sig netværket for 2022 nu, kan I deltage gratis i "
                    "decembermødet, så længe der er pladser.</p>",
                ),
            ],
            responsible_contact=contact,
        ),
    )

    privacy = add_child(home, privacy_page(contact))
    accessibility = add_child(home, accessibility_statement_page())

    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if site_settings.privacy_page_id is None:
        site_settings.privacy_page = privacy
        site_settings.save(update_fields=["privacy_page"])
    if site_settings.accessibility_page_id is None:
        site_settings.accessibility_page = accessibility
        site_settings.save(update_fields=["accessibility_page"])
    if not site_settings.address:
        site_settings.organisation_name = "Erfa-netværket"
        site_settings.address = "Weidekampsgade 10\n2300 København S"
        site_settings.email = "netvaerk@erfa.example"
        site_settings.phone = "33 70 30 00"
        site_settings.footer_links = [
            ("link", {"label": "", "page": about, "url": ""}),
            ("link", {"label": "", "page": news_index, "url": ""}),
        ]
        site_settings.save()
    if not site_settings.cvr:  # made-up seller details for the demo's e-invoices
        site_settings.invoice_legal_name = "Erfa-netværket (demo)"
        site_settings.cvr = "12345678"
        site_settings.invoice_street = "Weidekampsgade 10"
        site_settings.invoice_postcode = "2300"
        site_settings.invoice_city = "København S"
        site_settings.invoice_email = "faktura@erfa.example"
        site_settings.bank_reg_no = "1234"
        site_settings.bank_account_no = "0001234567"
        site_settings.save()


def accessibility_statement_page() -> AccessibilityStatementPage:
    """Tilgængelighedserklæringen in the sections Digitaliseringsstyrelsen's WAS-Tool
    asks for; editors keep it true (reviewed at least once a year)."""
    return AccessibilityStatementPage(
        title="Tilgængelighedserklæring",
        slug="tilgaengelighedserklaering",
        show_in_menus=False,
        compliance=AccessibilityStatementPage.Compliance.PARTIAL,
        non_accessible_content=(
            "<p>Følgende indhold er ikke fuldt tilgængeligt:</p>"
            "<ul>"
            "<li>Nogle ældre mødedokumenter (PDF) fra før 2022 har ikke overskrifter og "
            "alternativ tekst til billeder. Skriv til os, så sender vi indholdet i en "
            "tilgængelig form.</li>"
            "<li>Præsentationer, som oplægsholdere har leveret, er lagt op, som de er "
            "modtaget, og er ikke altid tilgængelige.</li>"
            "</ul>"
        ),
        prepared_on=datetime.date(2026, 11, 1),
        reviewed_on=datetime.date(2026, 11, 1),
        method=AccessibilityStatementPage.Method.SELF,
        feedback_email="netvaerk@erfa.example",
        feedback_phone="33 70 30 00",
    )


def privacy_page(contact) -> StandardPage:
    """The privacy policy: what is held, why, for how long, how to get it or have it
    deleted. Keep in step with portal.gdpr and the retention settings."""

    def section(heading, html):
        return [("heading", {"text": heading, "level": "h2"}), ("paragraph", html)]

    return StandardPage(
        title="Privatlivspolitik",
        slug="privatlivspolitik",
        show_in_menus=False,
        intro=(
            "Her kan du læse, hvilke oplysninger erfa-netværket har om dig, hvorfor, hvor "
            "længe vi gemmer dem, og hvordan du selv henter eller sletter dem."
        ),
        body=[
            *section(
                "Hvilke oplysninger har vi?",
                "<p>Når du opretter en konto: dit navn, din e-mailadresse, din stilling og "
                "eventuelt dit telefonnummer. Hvis du er tilknyttet en kommune eller "
                "boligorganisation, har vi tilknytningen og din rolle (fx kontaktperson).</p>"
                "<p>Når du tilmelder dig et møde: tilmeldingen, din organisation og de svar, "
                "du giver om kost, tilgængelighed og middag, samt om du mødte op. Når du "
                "tilmelder din organisation netværket: EAN-nummer, reference og "
                "fakturakontakt. Når du besvarer spørgeskemaet om aftaler: besvarelsen, "
                "dokumentet og det samtykke til deling, du giver for organisationen.</p>"
                "<p>Vi logger ændringer, der har betydning for rettigheder og aftaler "
                "(fx godkendte medlemskaber, tilmeldinger og samtykker): hvem, hvad og "
                "hvornår.</p>",
            ),
            *section(
                "Hvorfor?",
                "<p>For at kunne afholde møderne, holde styr på pladser og venteliste, "
                "sende påmindelser, fakturere medlemskaber og dele aftaler med det "
                "samtykke, parterne har givet. Grundlaget er netværkets aftale med din "
                "organisation og dit eget samtykke, hvor vi beder om det. Vi deler ikke "
                "dine oplysninger med andre end netværkets koordinatorer og, for "
                "medlemsoversigten, andre medlemmer, hvis du selv har valgt at blive vist "
                "der.</p>",
            ),
            *section(
                "Hvor længe?",
                "<p>Din konto og dine oplysninger gemmes, så længe du har kontoen. "
                "Tilmeldinger til møder, der ligger mere end 24 måneder tilbage, "
                "anonymiseres automatisk: dit navn og dine svar fjernes, mens antallet af "
                "deltagere bevares. Konti, hvor e-mailadressen aldrig er bekræftet, "
                "slettes efter 30 dage. Medlemskaber og aftaler tilhører organisationen "
                "og gemmes, så længe de bruges i netværkets arbejde.</p>",
            ),
            *section(
                "Sådan henter eller sletter du dine oplysninger",
                "<p>Log ind og gå til <b>Min side</b>. Under <b>Dine data</b> kan du "
                "vælge <b>Hent mine data</b> og se eller hente alt, hvad vi har om "
                "dig. Vælger du <b>Slet min konto</b>, beder vi om din adgangskode, og så "
                "sletter vi din konto: dine tilmeldinger bevares uden dit navn, og "
                "medlemskaber og besvarelser, du har indsendt for din organisation, "
                "bliver hos organisationen uden dit navn.</p>"
                "<p>Har du spørgsmål, eller vil du klage, så skriv til netværkets "
                "koordinator. Du kan også klage til Datatilsynet.</p>",
            ),
            *section(
                "Cookies",
                "<p>Webstedet sætter kun de cookies, der er nødvendige for, at det virker. "
                "Vi bruger ikke cookies til statistik, markedsføring eller sporing, og "
                "derfor beder vi ikke om dit samtykke. De cookies, webstedet kan sætte, er:</p>"
                "<ul>"
                "<li><b>sessionid</b>: holder dig logget ind. Sættes, når du logger ind, "
                "og udløber efter to uger, eller når du logger ud.</li>"
                "<li><b>csrftoken</b>: beskytter formularerne mod, at andre sider sender "
                "dem i dit navn. Udløber efter et år.</li>"
                "<li><b>django_language</b>: husker det sprog, du har valgt (dansk eller "
                "engelsk). Sættes kun, hvis du skifter sprog.</li>"
                "<li><b>messages</b>: viser en kvittering på den næste side, fx "
                "»Du er nu tilmeldt«. Slettes, så snart beskeden er vist.</li>"
                "</ul>",
            ),
        ],
        responsible_contact=contact,
    )
