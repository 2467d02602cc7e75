from playwright.sync_api import expect


def test_home_page_in_chromium(page, live_server, home_page):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erfa-netværk")
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()
