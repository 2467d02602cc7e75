"""Browsers can fill in a person's own details (`autocomplete`, WCAG 1.3.5), and every
search landmark has a name a screen reader announces."""

import re

import pytest


def input_named(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert found, f"no input {name}"
    return found.group(0)


def test_the_signup_form_asks_the_browser_to_fill_in_name_job_title_and_email(client, home_page):
    html = client.get("/konto/signup/").content.decode()
    assert 'autocomplete="given-name"' in input_named(html, "first_name")
    assert 'autocomplete="family-name"' in input_named(html, "last_name")
    assert 'autocomplete="organization-title"' in input_named(html, "job_title")
    assert 'autocomplete="email"' in input_named(html, "email")


def test_the_profile_form_on_my_page_does_too_and_the_phone_is_a_phone_field(
    client, home_page, member
):
    client.force_login(member)
    html = client.get("/min-side/").content.decode()
    assert 'autocomplete="given-name"' in input_named(html, "first_name")
    assert 'autocomplete="family-name"' in input_named(html, "last_name")
    assert 'autocomplete="organization-title"' in input_named(html, "job_title")
    phone = input_named(html, "phone")
    assert 'autocomplete="tel"' in phone and 'type="tel"' in phone


@pytest.mark.parametrize("url", ["/", "/soeg/", "/soeg/?q=aftale"])
def test_every_search_landmark_has_its_own_name(client, home_page, url):
    html = client.get(url).content.decode()
    names = []
    for form in re.findall(r'<form[^>]*role="search"[^>]*>', html):
        label = re.search(r'aria-label="([^"]+)"', form)
        labelledby = re.search(r'aria-labelledby="([^"]+)"', form)
        assert label or labelledby, form
        if labelledby:
            heading = re.search(rf'id="{labelledby.group(1)}"[^>]*>([^<]+)<', html)
            assert heading, f"nothing has id {labelledby.group(1)}"
            names.append(heading.group(1))
        else:
            names.append(label.group(1))
    assert names and len(names) == len(set(names)), names
    assert "Søg på webstedet" in names
    if url.startswith("/soeg/"):
        assert names == ["Søg på webstedet", "Søg"]
