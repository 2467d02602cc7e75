"""Which page type may go where: what an editor is offered under "Add child page"."""

import pytest
from wagtail.models import Page

from portal.factories import NewsPageFactory, StandardPageFactory
from portal.models import HomePage, NewsIndexPage, NewsPage, StandardPage


@pytest.fixture
def root(db):
    return Page.get_first_root_node()


def test_only_one_home_page_and_only_at_the_root(root, home_page, about_page):
    assert HomePage.can_create_at(root) is False  # max_count = 1, and one exists
    assert HomePage.can_create_at(home_page) is False
    assert HomePage.can_create_at(about_page) is False


def test_standard_pages_go_under_the_home_page_and_under_each_other(
    home_page, about_page, news_index
):
    assert StandardPage.can_create_at(home_page)
    assert StandardPage.can_create_at(about_page)
    assert not StandardPage.can_create_at(news_index)
    assert about_page.specific_class.allowed_subpage_models() == [StandardPage]


def test_one_news_index_under_the_home_page(home_page, about_page):
    assert NewsIndexPage.can_create_at(home_page)
    assert not NewsIndexPage.can_create_at(about_page)
    assert not NewsIndexPage.objects.exists()
    home_page.add_child(instance=NewsIndexPage(title="Nyheder", slug="nyheder"))
    assert NewsIndexPage.can_create_at(home_page) is False  # max_count = 1


def test_news_items_only_under_the_news_index_and_have_no_children(
    home_page, about_page, news_index
):
    assert NewsPage.can_create_at(news_index)
    assert not NewsPage.can_create_at(home_page)
    assert not NewsPage.can_create_at(about_page)
    assert news_index.specific_class.allowed_subpage_models() == [NewsPage]
    news = NewsPageFactory(parent=news_index)
    assert news.specific_class.allowed_subpage_models() == []
    assert not StandardPage.can_create_at(news)


def test_the_admin_offers_only_the_allowed_page_types(client, editor, home_page):
    client.force_login(editor)
    html = client.get(f"/admin/pages/{home_page.pk}/add_subpage/").content.decode()
    assert "/admin/pages/add/portal/standardpage/" in html
    assert "/admin/pages/add/portal/newsindexpage/" in html
    assert "/admin/pages/add/portal/newspage/" not in html

    news_index = home_page.add_child(instance=NewsIndexPage(title="Nyheder", slug="nyheder"))
    html = client.get(f"/admin/pages/{home_page.pk}/add_subpage/").content.decode()
    assert "/admin/pages/add/portal/standardpage/" in html
    assert "/admin/pages/add/portal/newsindexpage/" not in html  # there is one already
    # Under the news index only a news item fits, so Wagtail goes straight to its form.
    under_news = client.get(f"/admin/pages/{news_index.pk}/add_subpage/")
    assert under_news.status_code == 302
    assert "/admin/pages/add/portal/newspage/" in under_news["Location"]

    # The news form's address, edited to put the item under the home page.
    refused = client.post_with_token(
        f"/admin/pages/add/portal/newspage/{home_page.pk}/",
        {"title": "Forkert sted", "slug": "forkert-sted", "action-publish": "publish"},
        page=under_news["Location"],
    )
    assert refused.status_code == 302  # turned away to the dashboard with a message
    assert not NewsPage.objects.exists()


def test_a_standard_page_cannot_be_moved_under_a_news_item(home_page, news_index):
    page = StandardPageFactory(parent=home_page)
    news = NewsPageFactory(parent=news_index)
    assert not page.can_move_to(news)
    assert page.can_move_to(home_page)
