"""Dates in the visitor's language: Danish "onsdag 8. december 2021", English
"Wednesday 8 December 2021" (portal/formats, the `long_date` filter)."""

import datetime

import pytest
from django.core.management import call_command

from meetings.demo import DECEMBER_SLUG
from meetings.models import MeetingPage
from portal.factories import NewsPageFactory
from portal.models import NewsIndexPage


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_meeting_page_reads_its_date_in_danish_and_in_english(client, demo):
    meeting = MeetingPage.objects.get(slug=DECEMBER_SLUG)
    danish = client.get(meeting.url).content.decode()
    assert "onsdag 8. december 2021, 9.30" in danish

    client.cookies["django_language"] = "en"
    english = client.get(meeting.url).content.decode()
    assert "Wednesday 8 December 2021, 9.30" in english
    assert "8. December" not in english


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
