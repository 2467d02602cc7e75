"""Dates and times in the visitor's language, from one place (portal/formats and the
`long_date`, `time_of_day`, `date_time`, `long_date_time` filters): Danish "onsdag 8.
december 2021", "kl. 9.30", "8. december 2021 kl. 14.30"; English "Wednesday 8 December
2021", "9:30", "8 December 2021 at 14:30", never a Danish "kl." or "8. December"."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from meetings.demo import DECEMBER_SLUG, UPCOMING_SLUG
from meetings.models import MeetingPage
from portal import formats
from portal.factories import NewsPageFactory
from portal.models import NewsIndexPage

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_meeting_page_reads_its_date_in_danish_and_in_english(client, demo):
    meeting = MeetingPage.objects.get(slug=DECEMBER_SLUG)
    danish = client.get(meeting.url).content.decode()
    assert "onsdag 8. december 2021, kl. 9.30" in danish
    # The programme's times: Danish with a dot.
    assert "<time>9.30</time>\N{EN DASH}<time>10.00</time>" in danish

    client.cookies["django_language"] = "en"
    english = client.get(meeting.url).content.decode()
    assert "Wednesday 8 December 2021, 9:30" in english
    assert "<time>9:30</time>\N{EN DASH}<time>10:00</time>" in english
    assert "8. December" not in english and "9.30" not in english

    # The e-mails' "When" line (confirmation, reminder, offer) reads the same way.
    when = {}
    for language in ("da", "en"):
        with translation.override(language):
            when[language] = render_to_string("meetings/email/_details.txt", {"meeting": meeting})
    assert "Hvornår: onsdag 8. december 2021, kl. 9.30\N{EN DASH}15.30" in when["da"]
    assert "When: Wednesday 8 December 2021, 9:30\N{EN DASH}15:30" in when["en"]


def test_a_news_item_and_the_page_meta_read_the_date_in_english_without_the_danish_dot(
    client, home_page
):
    index = home_page.add_child(instance=NewsIndexPage(title="Nyheder", slug="nyheder"))
    news = NewsPageFactory(parent=index, date=datetime.date(2021, 11, 19))
    assert ">19. november 2021</time>" in client.get(news.url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(news.url).content.decode()
    assert ">19 November 2021</time>" in english
    assert "November 2021" in english and ". November" not in english


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "da",
            {
                "long_date": "onsdag 8. december 2021",
                "time_of_day": "9.30",
                "clock_time": "kl. 9.30",
                "date_time": "8. december 2021 kl. 14.05",
                "long_date_time": "onsdag 8. december 2021 kl. 14.05",
                "short_date": "08.12.2021",
                "month_day": "8. december",
            },
        ),
        (
            "en",
            {
                "long_date": "Wednesday 8 December 2021",
                "time_of_day": "9:30",
                "clock_time": "9:30",
                "date_time": "8 December 2021 at 14:05",
                "long_date_time": "Wednesday 8 December 2021 at 14:05",
                "short_date": "08/12/2021",
                "month_day": "8 December",
            },
        ),
    ],
)
def test_each_date_and_time_form_in_danish_and_english(settings, language, expected):
    settings.TIME_ZONE = "Europe/Copenhagen"
    # Stored in UTC, written in Copenhagen time (13.05 UTC is 14.05 in winter).
    moment = datetime.datetime(2021, 12, 8, 13, 5, tzinfo=datetime.UTC)
    with translation.override(language):
        assert formats.long_date(moment) == expected["long_date"]
        assert formats.time_of_day(datetime.time(9, 30)) == expected["time_of_day"]
        assert formats.clock_time(datetime.time(9, 30)) == expected["clock_time"]
        assert formats.date_time(moment) == expected["date_time"]
        assert formats.long_date_time(moment) == expected["long_date_time"]
        assert formats.short_date(datetime.date(2021, 12, 8)) == expected["short_date"]
        # The template filters are the same functions.
        rendered = Template(
            "{% load portal_tags %}{{ m|long_date }}|{{ t|time_of_day }}|{{ m|date_time }}|"
            "{{ m|long_date_time }}"
        ).render(Context({"m": moment, "t": datetime.time(9, 30)}))
        assert rendered == "|".join(
            expected[key] for key in ("long_date", "time_of_day", "date_time", "long_date_time")
        )
        # The reminder's subject ("Påmindelse: … den 8. december").
        month_day = Template('{{ m|date:"MONTH_DAY_FORMAT" }}').render(Context({"m": moment}))
        assert month_day == expected["month_day"]
        assert formats.long_date(None) == formats.time_of_day(None) == ""


def test_registration_opening_reads_kl_in_danish_and_at_in_english(client, demo):
    meeting = MeetingPage.objects.get(slug=UPCOMING_SLUG)
    meeting.registration_opens = datetime.datetime(2030, 2, 1, 9, 0, tzinfo=CPH)
    meeting.registration_closes = None
    meeting.start = datetime.datetime(2030, 3, 10, 10, 0, tzinfo=CPH)
    meeting.end = datetime.datetime(2030, 3, 10, 14, 0, tzinfo=CPH)
    meeting.save_revision().publish()

    danish = client.get(meeting.url).content.decode()
    assert "Tilmeldingen åbner 1. februar 2030 kl. 9.00." in danish
    client.cookies["django_language"] = "en"
    english = client.get(meeting.url).content.decode()
    assert "Registration opens 1 February 2030 at 9:00." in english
    assert "kl." not in english


def test_no_template_or_module_writes_its_own_date_or_time_pattern():
    """Every date and time goes through portal/formats: a hand-written Danish pattern
    (`|date:"j. F Y"`, `|time:"G.i"`, `\\k\\l.`, `strftime("%H.%M")`) would read Danish
    in English mode again."""
    root = Path(__file__).resolve().parents[2]
    hand_written = re.compile(
        r"""\|(?:date|time):["'][^"']*[jdGHFl][^"']*["']|\\k\\l|strftime\(["'][^"']*%[HMdbB]"""
    )
    allowed = re.compile(r"""\|date:["'](?:[A-Z_]+_FORMAT|c|Y|Y-m-d)["']""")
    offenders = []
    for folder in ("portal", "network", "meetings", "templates"):
        for path in (root / folder).rglob("*"):
            if path.suffix not in {".html", ".txt", ".py"} or "migrations" in path.parts:
                continue
            if path.is_relative_to(root / "portal" / "formats"):  # the one place
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in hand_written.finditer(line):
                    if not allowed.fullmatch(match.group(0)):
                        offenders.append(f"{path.relative_to(root)}:{number}: {match.group(0)}")
    assert offenders == []
