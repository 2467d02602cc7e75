"""`manage.py seed_scale`: the scaled data set the bench and the scale tests share."""

import pytest
from django.core.management import call_command
from wagtail.models import Page

from meetings.models import MeetingPage, Registration
from network.library.models import Agreement, AgreementConsent
from portal.models import NewsPage, User
from portal.scale import counts

SMALL = ["--agreements", "300", "--meetings", "30", "--registrations", "400", "--news", "40"]


def totals() -> dict:
    return {
        "pages": Page.objects.count(),
        "agreements": Agreement.objects.count(),
        "consents": AgreementConsent.objects.count(),
        "meetings": MeetingPage.objects.count(),
        "registrations": Registration.objects.count(),
        "news": NewsPage.objects.count(),
        "people": User.objects.count(),
    }


@pytest.mark.django_db
def test_seed_scale_adds_the_rows_once_and_keeps_the_page_tree_sound(client, capsys):
    call_command("load_demo")
    demo = totals()
    call_command("seed_scale", *SMALL)
    first = totals()
    assert first["agreements"] - demo["agreements"] == 300
    assert first["meetings"] - demo["meetings"] == 30
    assert first["registrations"] - demo["registrations"] == 400
    assert first["news"] - demo["news"] == 40
    assert "300 agreements, 30 meetings, 400 registrations, 40 news items" in (
        capsys.readouterr().out
    )

    call_command("seed_scale", *SMALL)
    assert totals() == first  # idempotent
    # Larger totals add only the difference.
    call_command("seed_scale", "--agreements", "0", "--meetings", "0", "--news", "50")
    assert NewsPage.objects.count() == first["news"] + 10

    # The bulk-built tree is what treebeard would have built: no problems, numchild right.
    assert all(not problems for problems in Page.find_problems())
    news = NewsPage.objects.filter(slug="skala-nyhed-00050").get()
    assert news.url == "/nyheder/skala-nyhed-00050/"
    assert client.get(news.url).status_code == 200

    # Meetings spread over networks, past and future, each with a programme.
    meetings = MeetingPage.objects.filter(slug__startswith="skala-moede-")
    assert len({m.get_parent().pk for m in meetings}) == 3
    assert meetings.upcoming().exists() and meetings.past().exists()
    meeting = meetings.upcoming().first()
    html = client.get(meeting.url).content.decode()
    assert "Ankomst og kaffe" in html

    # Varied consent and status; the published public ones are found by the search.
    seeded = Agreement.objects.filter(title__startswith="Skala-aftale ")
    assert set(seeded.values_list("status", flat=True)) >= {"published", "submitted", "draft"}
    assert set(seeded.values_list("consent", flat=True)) >= {"public", "members", "internal"}
    public = seeded.filter(status="published", consent="public").first()
    assert public in Agreement.objects.search(public.municipality.name.split()[0])


def test_factor_scales_every_count():
    assert counts(factor=0.1) == {
        "agreements": 1000,
        "meetings": 30,
        "registrations": 2000,
        "news": 100,
    }
    assert counts(factor=2, news=5)["news"] == 10
