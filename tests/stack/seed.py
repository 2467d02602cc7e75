"""What the stack tests (and the bench's registration burst) put in the stack's database.

Run with the stack's environment (DIR/stack.json's "env"), as every `manage.py` command
against the stack is:

    env $(stack env) .venv/bin/python -m tests.stack.seed COMMAND '{"option": ...}'

Prints one line of JSON with what the caller needs (ids, addresses, session cookies).
`tests/stack/harness.py::Stack.seed()` runs it. Each command makes its own rows under a
fresh tag, so commands can run again against the same stack.

Members for the burst are logged in here, not through the login form: allauth allows 30
logins a minute from one address ("login": "30/m/ip") and every test request comes from
127.0.0.1. The session is made as Django's own `login()` makes it (through the test
client's `force_login`, in the stack's cached_db session store), with the password step
recorded as allauth records it, so the site sees a member who signed in.
"""

import datetime
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    django.setup()


def _tag() -> str:
    return secrets.token_hex(3)


def _home():
    from portal.models import HomePage

    return HomePage.objects.live().first()


def _network():
    """The demo's network, or a new one under the home page."""
    from network.models import NetworkPage

    network = NetworkPage.objects.live().order_by("pk").first()
    if network is None:
        network = NetworkPage(title="Stak-testnetværk", slug=f"stak-netvaerk-{_tag()}", price=0)
        _home().add_child(instance=network)
        network.save_revision().publish()
    return network


def _member(*, email: str, network, years, password: str | None = None, name: str = ""):
    """A person with a confirmed address, verified in an organisation of their own whose
    membership of `network` is active in `years`."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from network.models import Affiliation, Membership, Organisation
    from portal.models import User

    first, _, last = (name or "Stak Medlem").partition(" ")
    user = User(email=email, first_name=first, last_name=last or "Medlem")
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name=f"Boligselskabet {email.split('@')[0]}"
    )
    for year in sorted(set(years)):
        Membership.objects.create(
            organisation=organisation,
            network=network,
            year=year,
            status=Membership.Status.ACTIVE,
            ean="5798000000001",
            purchase_reference="STAK",
            invoice_contact_name="Stak Bogholder",
            invoice_contact_email=f"faktura-{email}",
            terms_accepted_at=timezone.now(),
        )
    Affiliation.objects.create(
        person=user,
        organisation=organisation,
        role=Affiliation.Role.PARTICIPANT,
        status=Affiliation.Status.VERIFIED,
        verified_via=Affiliation.VerifiedVia.STAFF,
    )
    return user, organisation


def _session_cookie(user) -> str:
    """A signed-in session for `user`, as `login()` makes it (see the module docstring)."""
    from django.conf import settings
    from django.test import Client

    from tests.mfa import record_login

    client = Client()
    client.force_login(user)
    record_login(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _meeting(*, network, capacity: int, title: str):
    from django.utils import timezone

    from meetings.models import MeetingPage, Venue

    venue = Venue.objects.create(
        name="KL-huset", address="Weidekampsgade 10", postcode="2300", city="København S"
    )
    start = timezone.localtime() + datetime.timedelta(days=14)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = MeetingPage(
        title=title,
        slug=f"stak-moede-{_tag()}",
        start=start,
        end=start + datetime.timedelta(hours=5),
        venue=venue,
        lead="Et møde til stak-testene.",
        status=MeetingPage.Status.PLANNED,
        capacity=capacity,
        seats_per_organisation=2,
        trial_places=0,
        audience=MeetingPage.Audience.MEMBERS,
        ask_dietary_needs=False,
        ask_accessibility_needs=False,
        ask_joins_dinner=False,
    )
    network.add_child(instance=meeting)
    meeting.save_revision().publish()
    return MeetingPage.objects.get(pk=meeting.pk)


def _years(meeting=None) -> list[int]:
    from django.utils import timezone

    years = [timezone.localdate().year]
    if meeting is not None:
        years.append(timezone.localtime(meeting.start).year)
    return years


# --- Commands ----------------------------------------------------------------------------


def burst(n: int = 100, seats: int = 20) -> dict:
    """A meeting with `seats` seats and `n` signed-in members, each verified in an
    organisation of their own (so only the capacity can send anyone to the waitlist)."""
    from django.db import transaction

    tag = _tag()
    network = _network()
    with transaction.atomic():
        meeting = _meeting(network=network, capacity=seats, title=f"Stak-burst {tag}")
        people = []
        for number in range(n):
            email = f"burst-{tag}-{number:03d}@stak.example"
            user, _org = _member(
                email=email, network=network, years=_years(meeting), name=f"Burst {number:03d}"
            )
            people.append((email, user))
    sessions = [{"email": email, "session": _session_cookie(user)} for email, user in people]
    from django.conf import settings

    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "meeting": meeting.pk,
        "meeting_url": meeting.url,
        "register_url": f"/moeder/{meeting.pk}/tilmeld/",
        "members": sessions,
    }


def registrations(meeting: int) -> dict:
    """How many registrations of the meeting are confirmed and waitlisted, per person."""
    from meetings.models import Registration

    rows = list(
        Registration.objects.filter(meeting_id=meeting).values_list("person__email", "status")
    )
    by_status: dict[str, int] = {}
    for _email, status in rows:
        by_status[status] = by_status.get(status, 0) + 1
    people = [email for email, _status in rows]
    return {
        "by_status": by_status,
        "people": len(people),
        "distinct_people": len(set(people)),
        "status_of": dict(rows),
    }


def member(password: str, name: str = "Stak Medlem") -> dict:
    """A member who logs in with a password (a network member this year)."""
    email = f"medlem-{_tag()}@stak.example"
    _member(email=email, network=_network(), years=_years(), password=password, name=name)
    return {"email": email}


def meeting(capacity: int = 20) -> dict:
    m = _meeting(network=_network(), capacity=capacity, title=f"Stak-møde {_tag()}")
    return {"meeting": m.pk, "meeting_url": m.url, "register_url": f"/moeder/{m.pk}/tilmeld/"}


def member_for_meeting(meeting: int, password: str) -> dict:
    """A member (with a password) of the meeting's network in the meeting's year."""
    from meetings.models import MeetingPage

    m = MeetingPage.objects.get(pk=meeting)
    email = f"post-{_tag()}@stak.example"
    _member(email=email, network=m.cached_network, years=_years(m), password=password)
    return {"email": email}


def standard_page() -> dict:
    """A published content page under the home page, with an introduction and no body."""
    from portal.models import StandardPage

    tag = _tag()
    page = StandardPage(title=f"Stak-side {tag}", slug=f"stak-side-{tag}", intro="Før ændringen.")
    _home().add_child(instance=page)
    page.save_revision().publish()
    return {"id": page.pk, "url": page.url, "edit": f"/admin/pages/{page.pk}/edit/"}


def resource_page() -> dict:
    """Members-only inspiration material, published, with no documents yet."""
    from network.library.models import ResourceIndexPage, ResourcePage

    tag = _tag()
    index = ResourceIndexPage.objects.live().first()
    if index is None:
        index = ResourceIndexPage(title="Inspiration", slug=f"stak-inspiration-{tag}")
        _home().add_child(instance=index)
        index.save_revision().publish()
    page = ResourcePage(
        title=f"Stak-materiale {tag}",
        slug=f"stak-materiale-{tag}",
        intro="Materiale kun for medlemmer.",
        audience="members",
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return {"id": page.pk, "url": page.url, "edit": f"/admin/pages/{page.pk}/edit/"}


def resource_documents(page: int) -> dict:
    """The page's documents: where each is stored, and whether the storage has it."""
    from network.library.models import ResourceDocument

    documents = []
    for document in ResourceDocument.objects.filter(page_id=page).order_by("pk"):
        storage = document.file.storage
        key = document.file.name
        if hasattr(storage, "_normalize_name"):  # S3: the object key under the location
            key = storage._normalize_name(document.file.name)
        documents.append(
            {
                "id": document.pk,
                "title": document.title,
                "name": document.file.name,
                "key": key,
                "bucket": getattr(storage, "bucket_name", None),
                "storage": f"{type(storage).__module__}.{type(storage).__qualname__}",
                "exists": storage.exists(document.file.name),
                "size": document.file_size,
                "download": f"/aftaler/materiale/{document.pk}/",
            }
        )
    return {"documents": documents}


COMMANDS = {
    "burst": burst,
    "registrations": registrations,
    "member": member,
    "meeting": meeting,
    "member_for_meeting": member_for_meeting,
    "standard_page": standard_page,
    "resource_page": resource_page,
    "resource_documents": resource_documents,
}


def main(argv: list[str]) -> None:
    command = argv[1]
    options = json.loads(argv[2]) if len(argv) > 2 else {}
    _setup()
    result = COMMANDS[command](**options)
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv)
