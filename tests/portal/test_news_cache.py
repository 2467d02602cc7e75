"""The news listing keeps its list in the tree cache (`NewsIndexPage.get_context`): what
an editor publishes, changes or withdraws shows at once, and each page of the list and
each language is kept apart."""

import datetime
import re

from portal.factories import NewsPageFactory


def listed(client, news_index, **params) -> list[str]:
    response = client.get(news_index.url, params)
    assert response.status_code == 200
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


def test_news_published_changed_or_withdrawn_shows_in_the_listing_at_once(client, news_index):
    NewsPageFactory(parent=news_index, title="Nyhed om tilskud", date=datetime.date(2026, 3, 1))
    assert listed(client, news_index) == ["Nyhed om tilskud"]

    newer = NewsPageFactory(
        parent=news_index, title="Nyhed om anvisning", date=datetime.date(2026, 4, 1)
    )
    assert listed(client, news_index) == ["Nyhed om anvisning", "Nyhed om tilskud"]

    newer.title = "Nyhed om fleksibel udlejning"
    newer.save_revision().publish()
    assert listed(client, news_index) == ["Nyhed om fleksibel udlejning", "Nyhed om tilskud"]

    newer.unpublish()
    assert listed(client, news_index) == ["Nyhed om tilskud"]


def test_each_page_of_news_and_each_language_is_kept_apart(client, news_index):
    for day in range(1, 13):
        NewsPageFactory(
            parent=news_index, title=f"Nyhed {day:02}", date=datetime.date(2026, 3, day)
        )
    first, second = listed(client, news_index), listed(client, news_index, page=2)
    assert first == [f"Nyhed {day:02}" for day in range(12, 2, -1)]
    assert second == ["Nyhed 02", "Nyhed 01"]

    assert "12. marts 2026" in client.get(news_index.url).content.decode()
    client.cookies["django_language"] = "en"
    body = client.get(news_index.url).content.decode()
    assert "12 March 2026" in body and "12. marts 2026" not in body


def test_the_kept_listing_costs_one_query(client, news_index, django_assert_num_queries):
    for day in range(1, 13):
        NewsPageFactory(parent=news_index, date=datetime.date(2026, 3, day))
    client.get(news_index.url)
    with django_assert_num_queries(1):  # the page itself, found by its address
        assert len(listed(client, news_index)) == 10
