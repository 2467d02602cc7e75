"""The scaled data set (`manage.py seed_scale`): many agreements, meetings, registrations
and news items on top of the demo content, for `make bench` and the tests that pin query
counts and page sizes at scale.

Fast: rows go in with `bulk_create`; pages get their tree paths computed here and are
inserted in bulk (base table, then the page type's own table), then indexed for search
in bulk. Idempotent: every seeded object has a numbered natural key (a title or slug
starting with "Skala"/"skala"), and a second run only adds what is missing.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from portal import tree_cache

DEFAULTS = {"agreements": 10_000, "meetings": 300, "registrations": 20_000, "news": 1_000}

PREFIX = "Skala"
EMAIL_DOMAIN = "skala.example"
BATCH = 500
# Roughly Denmark's number of housing organisations: a fixed domain, as the 98
# municipalities are, so the library's filter lists do not grow with the agreements.
HOUSING_ORGANISATIONS = 200

WORDS = [
    "boligplacering",
    "anvisning",
    "integration",
    "modtagelse",
    "udlejning",
    "fleksibel",
    "beboerværter",
    "afdeling",
    "boligsocial",
    "helhedsplan",
    "tryghed",
    "velkomst",
    "frivillige",
    "sagsbehandling",
    "opfølgning",
    "forebyggelse",
    "fællesskab",
    "netværk",
    "familier",
    "ungdomsboliger",
    "renovering",
    "kommunal",
    "boligforening",
    "samarbejde",
    "partnerskab",
    "kvote",
    "venteliste",
]
TOWNS = [
    "Vestervang",
    "Nørrebo",
    "Søndergården",
    "Østparken",
    "Skovbo",
    "Engparken",
    "Fjordbyen",
    "Bakkehuset",
    "Kildeparken",
    "Lyngbo",
    "Møllegården",
    "Strandvænget",
]


@dataclass
class Seeded:
    agreements: int = 0
    meetings: int = 0
    registrations: int = 0
    news: int = 0
    people: int = 0
    organisations: int = 0

    def __str__(self):
        return (
            f"{self.agreements} agreements, {self.meetings} meetings, "
            f"{self.registrations} registrations, {self.news} news items, "
            f"{self.people} people, {self.organisations} housing organisations added"
        )


def analyze() -> None:
    """PostgreSQL: refresh the planner's statistics after a bulk load (autovacuum would,
    later), so the first requests after seeding are planned for the data they meet."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def counts(*, factor: float = 1.0, **given) -> dict:
    """The target counts: the given ones (or the defaults), times `factor`."""
    result = {}
    for key, default in DEFAULTS.items():
        value = given.get(key)
        result[key] = max(0, round((default if value is None else value) * factor))
    return result


@transaction.atomic
def seed(
    *,
    agreements: int = DEFAULTS["agreements"],
    meetings: int = DEFAULTS["meetings"],
    registrations: int = DEFAULTS["registrations"],
    news: int = DEFAULTS["news"],
) -> Seeded:
    """Bring the scaled data set up to the given totals (idempotent). Needs the demo
    content (`load_demo`) in place."""
    from portal.models import HomePage

    if HomePage.objects.first() is None:
        raise RuntimeError("Load the demo content first (manage.py load_demo).")
    rng = random.Random(20261129)  # noqa: S311 (test data, not security)
    done = Seeded()
    done.news = _seed_news(news)
    housing = _housing_organisations(HOUSING_ORGANISATIONS if agreements else 0, done)
    done.agreements = _seed_agreements(agreements, housing, rng)
    meeting_ids = _seed_meetings(meetings)
    done.meetings = meeting_ids["added"]
    done.registrations = _seed_registrations(registrations, meeting_ids["all"], done)
    # Rows went in in bulk, which sends no signals: what the caches keep is obsolete.
    from meetings.services import REGISTRATIONS_VERSION
    from network.forms import ORGANISATIONS_VERSION
    from network.library import fragments

    tree_cache.forget()
    tree_cache.forget(ORGANISATIONS_VERSION)
    tree_cache.forget(REGISTRATIONS_VERSION)
    fragments.forget()
    return done


# --- Pages in bulk ---------------------------------------------------------------------


def bulk_add_pages(parent: Page, pages: list[Page]) -> list[Page]:
    """Insert `pages` (unsaved instances of one specific page type) as live children of
    `parent`, after its existing children, with the tree path, depth and URL path
    Wagtail's `add_child` would give them, and index them for search."""
    if not pages:
        return []
    model = type(pages[0])
    parent = Page.objects.get(pk=parent.pk)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(model)
    for page in pages:
        step += 1
        page.path = Page._get_path(parent.path, parent.depth + 1, step)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.content_type = content_type
        page.locale_id = parent.locale_id
        page.translation_key = uuid.uuid4()
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.first_published_at or now
        page.last_published_at = page.last_published_at or now
    base_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    own_fields = list(model._meta.local_concrete_fields)
    for start in range(0, len(pages), BATCH):
        batch = pages[start : start + BATCH]
        rows = Page._base_manager._insert(
            batch, fields=base_fields, returning_fields=[Page._meta.pk], using="default"
        )
        for page, (pk,) in zip(batch, rows, strict=True):
            page.pk = page.id = page.page_ptr_id = pk
            page._state.adding = False
        model._base_manager._insert(batch, fields=own_fields, using="default")
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    index_in_bulk(model, model.objects.filter(pk__in=[p.pk for p in pages]))
    return pages


def index_in_bulk(model, queryset) -> None:
    """Add rows to Wagtail's search index, a batch at a time."""
    backend = get_search_backend()
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        backend.add_bulk(model, list(queryset.filter(pk__in=ids[start : start + 2000])))


# --- News ------------------------------------------------------------------------------


def _seed_news(total: int) -> int:
    from portal.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.first()
    if index is None or total <= 0:
        return 0
    existing = set(
        NewsPage.objects.child_of(index)
        .filter(slug__startswith="skala-nyhed-")
        .values_list("slug", flat=True)
    )
    today = timezone.localdate()
    pages = []
    for n in range(1, total + 1):
        slug = f"skala-nyhed-{n:05d}"
        if slug in existing:
            continue
        day = today - datetime.timedelta(days=n * 2)
        words = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(12))
        published = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        pages.append(
            NewsPage(
                title=f"{PREFIX}-nyhed {n}: {WORDS[n % len(WORDS)]} i {TOWNS[n % len(TOWNS)]}",
                slug=slug,
                date=day,
                lead=f"Nyt om {words}.",
                body=[("paragraph", f"<p>{words.capitalize()}. {words}.</p>")],
                first_published_at=published,
                last_published_at=published,
            )
        )
    bulk_add_pages(index, pages)
    return len(pages)


# --- Organisations and people ----------------------------------------------------------


def _housing_organisations(total: int, done: Seeded) -> list:
    from network.models import Organisation
    from portal.regions import Region

    regions = [choice[0] for choice in Region.choices]
    names = [f"{PREFIX} Boligselskab {n:04d}" for n in range(1, total + 1)]
    existing = set(
        Organisation.objects.filter(name__in=names, kind="housing").values_list("name", flat=True)
    )
    new = [
        Organisation(
            kind=Organisation.Kind.HOUSING_ORGANISATION,
            name=name,
            region=regions[n % len(regions)],
        )
        for n, name in enumerate(names)
        if name not in existing
    ]
    Organisation.objects.bulk_create(new, batch_size=BATCH)
    done.organisations = len(new)
    organisations = list(Organisation.objects.filter(name__in=names, kind="housing"))
    if new:
        index_in_bulk(Organisation, Organisation.objects.filter(name__in=[o.name for o in new]))
    return sorted(organisations, key=lambda o: o.name)


def _people(total: int, done: Seeded) -> list:
    """`total` people at municipalities (verified, not in the directory), who register."""
    from network.models import Affiliation, Organisation
    from portal.models import User

    emails = [f"skala-{n:05d}@{EMAIL_DOMAIN}" for n in range(1, total + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    new = [
        User(
            email=email,
            password=unusable,
            first_name=f"{PREFIX}",
            last_name=f"Deltager {n + 1}",
            job_title="Konsulent",
        )
        for n, email in enumerate(emails)
        if email not in existing
    ]
    User.objects.bulk_create(new, batch_size=BATCH)
    done.people = len(new)
    people = {u.email: u for u in User.objects.filter(email__in=emails)}
    people = [people[email] for email in emails]
    municipalities = list(Organisation.objects.municipalities().order_by("municipality_code"))
    if new and municipalities:
        now = timezone.now()
        affiliated = set(
            Affiliation.objects.filter(person__in=people).values_list("person_id", flat=True)
        )
        Affiliation.objects.bulk_create(
            [
                Affiliation(
                    person=person,
                    organisation=municipalities[n % len(municipalities)],
                    status=Affiliation.Status.VERIFIED,
                    verified_via=Affiliation.VerifiedVia.STAFF,
                    decided_at=now,
                )
                for n, person in enumerate(people)
                if person.pk not in affiliated
            ],
            batch_size=BATCH,
        )
    return people


# --- Agreements ------------------------------------------------------------------------


def _seed_agreements(total: int, housing: list, rng: random.Random) -> int:
    from network.library.models import Agreement, AgreementCallPage, AgreementConsent, Topic
    from network.models import Organisation
    from portal.models import User

    if total <= 0:
        return 0
    titles_taken = set(
        Agreement.objects.filter(title__startswith=f"{PREFIX}-aftale ").values_list(
            "title", flat=True
        )
    )
    municipalities = list(Organisation.objects.municipalities().order_by("municipality_code"))
    topics = list(Topic.objects.order_by("sort_order", "code"))
    call = AgreementCallPage.objects.order_by("pk").first()
    # Some answers belong to the demo accounts, so their "Min side" grows too: the
    # housing organisation's person submits some; the Aarhus member's municipality is a
    # party to about one in 98 and is asked to consent to those.
    housing_person = User.objects.filter(email="udlejning@bf-oestjylland.example").first()
    oestjylland = Organisation.objects.filter(name="Boligforeningen Østjylland").first()
    statuses = (
        [Agreement.Status.PUBLISHED] * 14
        + [Agreement.Status.SUBMITTED] * 3
        + [Agreement.Status.REJECTED, Agreement.Status.WITHDRAWN, Agreement.Status.DRAFT]
    )
    states = [Agreement.State.SIGNED] * 3 + [Agreement.State.NEGOTIATING, Agreement.State.NONE]
    levels = [Agreement.Consent.PUBLIC] * 4 + [Agreement.Consent.MEMBERS] * 3
    levels += [Agreement.Consent.INTERNAL] * 3
    now = timezone.now()
    new, parties, topic_rows = [], [], []
    for n in range(1, total + 1):
        municipality = municipalities[n % len(municipalities)]
        organisation = housing[n % len(housing)]
        title = f"{PREFIX}-aftale {n:05d}: {municipality.name} og {organisation.name}"
        # Draw every number whether or not the row exists, so a rerun sees the same data.
        status = statuses[rng.randrange(len(statuses))]
        state = states[rng.randrange(len(states))]
        level = levels[rng.randrange(len(levels))]
        second = housing[rng.randrange(len(housing))]
        topic_picks = rng.sample(topics, k=1 + rng.randrange(2)) if topics else []
        municipality_answers = rng.random() < 0.8
        signed = datetime.date(2010 + n % 16, 1 + n % 12, 1 + n % 28)
        by_demo = housing_person is not None and oestjylland is not None and n % 20 == 0
        if title in titles_taken:
            continue
        if by_demo:
            organisation = oestjylland
        words = " ".join(WORDS[(n * 7 + k) % len(WORDS)] for k in range(10))
        submitted_at = now - datetime.timedelta(hours=n * 3)
        party_list = [organisation] + ([second] if n % 7 == 0 and second != organisation else [])
        answered = status != Agreement.Status.DRAFT
        municipality_level = level if (answered and municipality_answers) else None
        consent = level if municipality_level else Agreement.Consent.INTERNAL
        agreement = Agreement(
            call=call,
            title=title,
            summary=f"Aftalen handler om {words} i {TOWNS[n % len(TOWNS)]}.",
            description="",
            submitting_organisation=organisation,
            municipality=municipality,
            state=state,
            signed_on=signed if state == Agreement.State.SIGNED else None,
            valid_from=signed if state == Agreement.State.SIGNED else None,
            dwellings_per_year=5 + n % 40,
            consent=consent if answered else "",
            status=status,
            submitted_by=housing_person if by_demo else None,
            submitted_at=None if status == Agreement.Status.DRAFT else submitted_at,
            reviewed_at=submitted_at if status == Agreement.Status.PUBLISHED else None,
        )
        new.append(agreement)
        parties.append((agreement, party_list, level if answered else None, municipality_level))
        topic_rows.append((agreement, topic_picks))
    Agreement.objects.bulk_create(new, batch_size=BATCH)
    Housing = Agreement.housing_organisations.through
    Topics = Agreement.topics.through
    Housing.objects.bulk_create(
        [
            Housing(agreement_id=a.pk, organisation_id=o.pk)
            for a, party_list, _level, _m in parties
            for o in party_list
        ],
        batch_size=BATCH,
    )
    Topics.objects.bulk_create(
        [Topics(agreement_id=a.pk, topic_id=t.pk) for a, picks in topic_rows for t in picks],
        batch_size=BATCH,
    )
    consents = []
    for agreement, party_list, level, municipality_level in parties:
        if level is None:
            continue
        for organisation in party_list:
            consents.append(
                AgreementConsent(
                    agreement=agreement,
                    organisation=organisation,
                    level=level,
                    via=AgreementConsent.Via.SUBMISSION,
                    given_by=agreement.submitted_by,
                    decided_at=agreement.submitted_at,
                )
            )
        if municipality_level is not None:
            consents.append(
                AgreementConsent(
                    agreement=agreement,
                    organisation=agreement.municipality,
                    level=municipality_level,
                    via=AgreementConsent.Via.STAFF,
                    decided_at=agreement.submitted_at,
                )
            )
    AgreementConsent.objects.bulk_create(consents, batch_size=BATCH)
    if new:
        index_in_bulk(
            Agreement,
            Agreement.objects.filter(pk__in=[a.pk for a in new])
            .select_related("municipality")
            .prefetch_related("housing_organisations"),
        )
    return len(new)


# --- Meetings and registrations --------------------------------------------------------


def _networks() -> list:
    """The demo network first, then two more, so meetings spread across networks."""
    from network.demo import NETWORK_SLUG
    from network.models import NetworkPage
    from portal.demo import add_child
    from portal.models import HomePage

    demo = NetworkPage.objects.filter(slug=NETWORK_SLUG).first()
    home = HomePage.objects.first()
    extra = []
    for n, subject in enumerate(["Boligsocial anvisning", "Integration i boligområder"], 1):
        extra.append(
            add_child(
                home,
                NetworkPage(
                    title=f"{PREFIX}-netværk {n}: {subject}",
                    slug=f"skala-netvaerk-{n}",
                    intro=f"Et netværk om {subject.lower()}.",
                    seats_per_member=2,
                ),
            )
        )
    return [network for network in [demo, *extra] if network is not None]


def _programme(n: int) -> list[dict]:
    from meetings.blocks import ProgrammeItemKind as Kind
    from meetings.factories import programme_item

    topic = WORDS[n % len(WORDS)]
    return [
        programme_item("9.30", "10.00", "Ankomst og kaffe", Kind.MEAL),
        programme_item(
            "10.00",
            "11.00",
            f"Oplæg om {topic}",
            Kind.TALK,
            description=f"<p>Erfaringer med {topic} fra {TOWNS[n % len(TOWNS)]}.</p>",
            speakers=[("Karen Koordinator", "Netværkskoordinator", "Erfa-netværket")],
        ),
        programme_item("11.00", "12.00", "Workshop", Kind.WORKSHOP),
        programme_item("12.00", "12.30", "Frokost og netværk", Kind.NETWORKING),
    ]


def _seed_meetings(total: int) -> dict:
    from meetings.models import MeetingPage, Venue

    if total <= 0:
        return {"added": 0, "all": []}
    networks = _networks()
    venues = list(Venue.objects.order_by("pk")) or [None]
    existing = set(
        MeetingPage.objects.filter(slug__startswith="skala-moede-").values_list("slug", flat=True)
    )
    today = timezone.localdate()
    by_network = {network.pk: [] for network in networks}
    for n in range(1, total + 1):
        slug = f"skala-moede-{n:04d}"
        if slug in existing:
            continue
        # Half in the demo network, the rest shared; about one in five in the future.
        if n % 2 or len(networks) == 1:
            network = networks[0]
        else:
            network = networks[1 + (n // 2) % (len(networks) - 1)]
        if n % 5 == 0:
            day = today + datetime.timedelta(days=7 + n * 3 % 360)
        else:
            day = today - datetime.timedelta(days=14 + n * 5)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        by_network[network.pk].append(
            MeetingPage(
                title=f"{PREFIX}-møde {n}: {WORDS[n % len(WORDS)]}",
                slug=slug,
                start=start,
                end=start + datetime.timedelta(hours=3),
                venue=venues[n % len(venues)],
                lead=f"Et møde om {WORDS[n % len(WORDS)]} og {WORDS[(n + 3) % len(WORDS)]}.",
                capacity=80,
                seats_per_organisation=2,
                trial_places=2,
                audience=MeetingPage.Audience.MEMBERS_AND_TRIAL,
                programme=_programme(n),
            )
        )
    added = 0
    for network in networks:
        added += len(bulk_add_pages(network, by_network[network.pk]))
    all_ids = list(
        MeetingPage.objects.filter(slug__startswith="skala-moede-")
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    return {"added": added, "all": all_ids}


def _seed_registrations(total: int, meeting_ids: list[int], done: Seeded) -> int:
    from meetings.models import MeetingPage, Registration
    from network.models import Affiliation
    from portal.models import User

    if total <= 0 or not meeting_ids:
        return 0
    per_meeting = -(-total // len(meeting_ids))
    people = _people(max(per_meeting + 1, total // 40, 20), done)
    # The demo member registers for every seeded meeting (their "Min side" grows).
    member = User.objects.filter(email="medlem@aarhus.dk").first()
    people_org = dict(
        Affiliation.objects.filter(person__in=people).values_list("person_id", "organisation_id")
    )
    member_org = (
        Affiliation.objects.filter(person=member).values_list("organisation_id", flat=True).first()
        if member
        else None
    )
    starts = dict(MeetingPage.objects.filter(pk__in=meeting_ids).values_list("pk", "start"))
    taken = set(
        Registration.objects.filter(meeting_id__in=meeting_ids).values_list(
            "meeting_id", "person_id"
        )
    )
    new = []
    for n in range(total):
        meeting_id = meeting_ids[n % len(meeting_ids)]
        slot = n // len(meeting_ids)
        if member is not None and slot == 0:
            person_id, organisation_id = member.pk, member_org
        else:
            person = people[(slot + n) % len(people)]
            person_id, organisation_id = person.pk, people_org.get(person.pk)
        if (meeting_id, person_id) in taken:
            continue
        taken.add((meeting_id, person_id))
        created = starts[meeting_id] - datetime.timedelta(days=10 + n % 30)
        if n % 11 == 0:
            status, reason = Registration.Status.WAITLISTED, Registration.WaitlistReason.CAPACITY
        elif n % 13 == 0:
            status, reason = Registration.Status.CANCELLED, ""
        else:
            status, reason = Registration.Status.CONFIRMED, ""
        new.append(
            Registration(
                meeting_id=meeting_id,
                person_id=person_id,
                organisation_id=organisation_id,
                registered_by_id=person_id,
                kind=Registration.Kind.MEMBER,
                status=status,
                waitlist_reason=reason,
                dietary_needs="Vegetar" if n % 9 == 0 else "",
                created_at=created,
                confirmed_at=created if status == Registration.Status.CONFIRMED else None,
                cancelled_at=created if status == Registration.Status.CANCELLED else None,
            )
        )
    Registration.objects.bulk_create(new, batch_size=BATCH)
    return len(new)
