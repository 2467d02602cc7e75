from portal.factories import StandardPageFactory


def test_home_page_renders_in_danish(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="da"' in response.content.decode()
    assert "Log ind" in response.content.decode()


def test_standard_page_renders(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Om netværket")
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Om netværket" in response.content.decode()
