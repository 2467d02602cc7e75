"""My page's profile form sent with errors: the shared DKFDS rendering
(portal/forms_rendering.py) checked by tests/form_markup.py."""

from tests.form_markup import check_form_page


def test_the_profile_with_errors_has_a_linked_summary_and_keeps_what_was_typed(client, member):
    client.force_login(member)
    check_form_page(client.get("/min-side/"), errors=False)

    response = client.submit(
        "/min-side/",
        {"first_name": "", "last_name": "Jensen", "job_title": "Konsulent", "phone": "1" * 300},
    )

    assert response.status_code == 200
    soup = check_form_page(response, errors=True)
    hrefs = [a["href"] for a in soup.select('[data-module="error-summary"] a')]
    assert hrefs[0] == "#id_first_name"
    first_name = soup.find(id="id_first_name")
    assert first_name["aria-invalid"] == "true"
    assert first_name["autocomplete"] == "given-name"
    label = soup.find("label", attrs={"for": "id_first_name"}).get_text(" ", strip=True)
    assert label == "Fornavn (skal udfyldes)"
    assert soup.find(id="id_job_title")["value"] == "Konsulent"


def test_the_email_page_groups_the_addresses_and_links_a_bad_new_address(client, member):
    client.force_login(member)
    soup = check_form_page(client.get("/konto/email/"), errors=False)
    legend = soup.find("input", attrs={"name": "email", "type": "radio"}).find_parent("fieldset")
    assert "e-mail" in legend.legend.get_text().lower()

    response = client.submit(
        "/konto/email/", {"email": "ikke-en-adresse", "action_add": ""}, page="/konto/email/"
    )

    soup = check_form_page(response, errors=True)
    links = soup.select('[data-module="error-summary"] a')
    assert [a["href"] for a in links] == ["#id_email"]


def test_a_password_reset_for_a_malformed_address_is_a_linked_error(client, home_page):
    url = "/konto/password/reset/"
    check_form_page(client.get(url), errors=False)

    response = client.submit(url, {"email": "anna@"})

    soup = check_form_page(response, errors=True)
    assert [a["href"] for a in soup.select('[data-module="error-summary"] a')] == ["#id_email"]
    assert soup.find(id="id_email")["autocomplete"] == "email"
