"""The questionnaire's steps (issue 13): the step indicator, what each step asks and
checks, required answers marked up front, a chosen file that survives a step with errors,
and error summaries that list and link every field in error, also from the last step to
an earlier one."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from network.factories import AffiliationFactory
from network.library.factories import municipality
from network.library.models import Agreement
from network.library.pdf import simple_pdf
from portal.factories import UserFactory
from tests.form_markup import check_form_page
from tests.library.helpers import answer_questionnaire, answer_step
from tests.library.test_questionnaire import complete_answer


def pdf_upload(name="Aftale med Aarhus.pdf"):
    return SimpleUploadedFile(name, simple_pdf("Aftale", ["Om boligplacering"]), "application/pdf")


def private_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class _Page(HTMLParser):
    """Ids, aria-describedby references, the title and links of a page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            for ref in attrs["aria-describedby"].split():
                self.described_by.append((attrs.get("id") or attrs.get("name") or tag, ref))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def read(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def summary_of(response) -> str:
    body = response.content.decode()
    match = re.search(r'<div class="alert alert-error[^"]*"[^>]*>(.*?)</div>\s*</div>', body, re.S)
    assert match, "no error summary on the page"
    return match.group(1)


def indicator_of(response) -> str:
    body = response.content.decode()
    return body[body.index('<ol class="step-indicator">') : body.index("</ol>")]


# --- Steps ------------------------------------------------------------------------------


def test_the_questionnaire_goes_step_by_step_and_saves_the_draft_on_the_way(
    client, call_page, submitter, housing_org
):
    client.force_login(submitter)
    start = client.get(call_page.questionnaire_url())
    assert read(start).title.startswith("Trin 1 af 4: Hvem svarer")
    indicator = indicator_of(start)
    assert [
        re.sub(r"\s+", " ", t) for t in re.findall(r'class="step-title">([^<]*)<', indicator)
    ] == [
        "Hvem svarer",
        "Aftalen",
        "Hvad må vi dele",
        "Tjek og send",
    ]
    assert 'aria-current="step"' in indicator
    # Steps not reached yet are not links.
    assert indicator.count("<a ") == 1
    body = start.content.decode()
    assert 'name="organisation"' in body and 'name="municipality"' not in body
    assert ">Næste</button>" in body and ">Tilbage</button>" not in body

    response = answer_step(client, call_page.questionnaire_url(), 1, complete_answer())
    draft = Agreement.objects.get()
    assert draft.status == Agreement.Status.DRAFT
    assert draft.submitting_organisation == housing_org
    assert response["Location"] == call_page.questionnaire_url(draft) + "?trin=2"

    step_two = client.get(response["Location"])
    assert read(step_two).title.startswith("Trin 2 af 4: Aftalen")
    indicator = indicator_of(step_two)
    # Step 1 is done and a link back; step 2 is the current one.
    assert 'aria-label="Trin 1 gennemført"' in indicator
    assert f'href="{call_page.questionnaire_url(draft)}?trin=1"' in indicator
    assert ">Tilbage</button>" in step_two.content.decode()

    # "Back" saves what is there without asking for the rest.
    response = answer_step(
        client,
        response["Location"],
        2,
        {"municipality": municipality("751").pk},
        navigate="back",
    )
    assert response["Location"] == call_page.questionnaire_url(draft) + "?trin=1"
    draft.refresh_from_db()
    assert draft.municipality == municipality("751")

    # "Next" asks for the step's own answers only.
    response = answer_step(
        client, call_page.questionnaire_url(draft), 2, {"municipality": municipality("751").pk}
    )
    assert response.status_code == 200
    assert "Fortæl os, om der er en aftale." in summary_of(response)
    assert "Vælg, hvad vi må dele." not in response.content.decode()

    response = answer_questionnaire(
        client, call_page.questionnaire_url(draft), {**complete_answer(), "document": pdf_upload()}
    )
    assert response["Location"] == call_page.url + f"tak/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.SUBMITTED
    assert draft.parties_agree is True


def test_the_last_step_shows_the_answers_before_they_are_sent(client, call_page, submitter):
    client.force_login(submitter)
    url = call_page.questionnaire_url()
    data = {**complete_answer(), "document": pdf_upload()}
    for step in (1, 2, 3):
        url = answer_step(client, url, step, data)["Location"]
    assert url.endswith("?trin=4")
    response = client.get(url)
    assert read(response).title.startswith("Trin 4 af 4: Tjek og send")
    body = response.content.decode()
    assert "<dd>Aarhus Kommune</dd>" in body
    assert "<dd>Ja, der er underskrevet en aftale</dd>" in body
    assert re.search(r"<dd>Aftale med Aarhus\.pdf \([\d,]+\s(KB|bytes)\)</dd>", body)
    assert "<dd>12,50</dd>" in body
    assert ">Ret svarene i trin 2</a>" in body
    assert ">Send svar</button>" in body
    assert Agreement.objects.get().status == Agreement.Status.DRAFT


# --- Required answers -----------------------------------------------------------------


def test_required_answers_are_marked_and_the_conditional_rule_is_said_at_the_fields(
    client, call_page, submitter
):
    client.force_login(submitter)
    response = client.get(call_page.questionnaire_url() + "?trin=2")
    check_form_page(response, errors=False)
    body = response.content.decode()
    required = '<span class="weight-normal"> (skal udfyldes)</span>'
    optional = '<span class="weight-normal"> (frivilligt)</span>'
    assert f'for="id_municipality">Kommune{required}</label>' in body
    assert f'<legend class="form-label">Er der en aftale med kommunen?{required}</legend>' in body
    # Needed only when there is an agreement: the rule is said at the fields (and read
    # out with them), before the answer is known.
    assert f'<legend class="form-label">Hvad handler aftalen om?{optional}</legend>' in body
    assert (
        '<div class="form-hint" id="id_topics_helptext">Skal udfyldes, når der er underskrevet '
        "en aftale, eller når en aftale er under forhandling.</div>" in body
    )
    assert '<fieldset aria-describedby="id_topics_helptext">' in body
    assert (
        '<div class="form-hint" id="id_document_helptext">Skal vedhæftes, når aftalen er '
        "underskrevet.</div>" in body
    )
    assert re.search(
        r'<input type="file" name="document"[^>]*aria-describedby="id_document_helptext"', body
    )

    # Once the answer says "signed", topics and the document are marked as required.
    answer_step(client, call_page.questionnaire_url(), 2, {"state": "signed"}, navigate="save")
    draft = Agreement.objects.get()
    body = client.get(call_page.questionnaire_url(draft) + "?trin=2").content.decode()
    assert f'<legend class="form-label">Hvad handler aftalen om?{required}</legend>' in body
    assert f"Aftalen (PDF, DOCX eller ODT, højst 20 MB){required}</label>" in body
    # Under negotiation: topics, not the document.
    answer_step(
        client, call_page.questionnaire_url(draft), 2, {"state": "negotiating"}, navigate="save"
    )
    body = client.get(call_page.questionnaire_url(draft) + "?trin=2").content.decode()
    assert f'<legend class="form-label">Hvad handler aftalen om?{required}</legend>' in body
    assert f"Aftalen (PDF, DOCX eller ODT, højst 20 MB){optional}</label>" in body


@pytest.mark.parametrize("step", [1, 2, 3])
def test_every_help_text_and_error_is_announced_at_its_field(client, call_page, submitter, step):
    client.force_login(submitter)
    check_form_page(client.get(f"{call_page.questionnaire_url()}?trin={step}"), errors=False)
    # "Next" with nothing answered (and dates the wrong way round on step 2).
    response = answer_step(
        client,
        call_page.questionnaire_url(),
        step,
        {"organisation": "", "valid_from": "2020-01-01", "valid_to": "2019-01-01"},
    )
    assert response.status_code == 200
    soup = check_form_page(response, errors=True)
    assert soup.select(".form-error-message")


# --- Error summary --------------------------------------------------------------------


def test_the_error_summary_lists_and_links_every_field_in_error(client, call_page, submitter):
    client.force_login(submitter)
    url = answer_step(client, call_page.questionnaire_url(), 1, complete_answer())["Location"]
    response = answer_step(
        client,
        url,
        2,
        {"municipality": "", "valid_from": "2020-01-01", "valid_to": "2019-12-31"},
    )
    assert response.status_code == 200
    soup = check_form_page(response, errors=True)
    assert soup.title.get_text().startswith("Fejl: Trin 2 af 4: Aftalen")
    summary = soup.select_one('[data-module="error-summary"]')
    # Every error of the step at once: the missing answers and the other rules.
    assert [(a["href"], a.get_text()) for a in summary.find_all("a")] == [
        ("#id_municipality", "Kommune: Vælg kommunen."),
        ("#id_state_0", "Er der en aftale med kommunen? Fortæl os, om der er en aftale."),
        ("#id_valid_to", "Gælder til: Aftalen kan ikke slutte, før den begynder."),
    ]


def test_sending_with_an_earlier_step_unanswered_links_to_that_steps_field(
    client, call_page, submitter
):
    client.force_login(submitter)
    url = answer_step(client, call_page.questionnaire_url(), 1, complete_answer())["Location"]
    # Saved as a draft without topics or a document, then sent from the last step.
    answer_step(client, url, 2, complete_answer(topics=None), navigate="save")
    url = answer_step(client, url, 3, complete_answer())["Location"]
    draft = Agreement.objects.get()
    response = answer_step(client, url, 4, {}, navigate="send")
    assert response.status_code == 200
    assert read(response).title.startswith("Fejl: Trin 4 af 4: Tjek og send")
    summary = summary_of(response)
    base = call_page.questionnaire_url(draft)
    links = re.findall(r'<a class="function-link" href="([^"]+)">([^<]+)</a>', summary)
    assert links == [
        (
            f"{base}?trin=2&amp;tjek=1#id_topics_0",
            "Trin 2, Hvad handler aftalen om? Vælg mindst ét emne.",
        ),
        (
            f"{base}?trin=2&amp;tjek=1#id_document",
            "Trin 2, Aftalen (PDF, DOCX eller ODT, højst 20 MB): Vedhæft den underskrevne aftale.",
        ),
    ]
    body = response.content.decode()
    assert body.index('data-module="error-summary"') < body.index("step-indicator")
    assert 'aria-label="Fejl i trin 2"' in indicator_of(response)
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT

    # The link opens step 2 with the errors at the fields and in its own summary.
    step_two = client.get(f"{base}?trin=2&tjek=1")
    soup = check_form_page(step_two, errors=True)
    assert soup.title.get_text().startswith("Fejl: Trin 2 af 4: Aftalen")
    assert [m.get_text() for m in soup.select(".form-error-message")] == [
        "Fejl: Vælg mindst ét emne.",
        "Fejl: Vedhæft den underskrevne aftale.",
    ]


# --- A chosen file survives a step with errors ------------------------------------------


def test_a_chosen_file_survives_a_step_with_errors_privately_and_ends_on_the_answer(
    client, call_page, submitter, housing_org, django_capture_on_commit_callbacks
):
    client.force_login(submitter)
    data = complete_answer(valid_from="2020-01-01", valid_to="2019-12-31")
    url = answer_step(client, call_page.questionnaire_url(), 1, data)["Location"]
    response = answer_step(client, url, 2, {**data, "document": pdf_upload()})
    assert response.status_code == 200
    check_form_page(response, errors=True)
    body = response.content.decode()
    assert "Aftalen kan ikke slutte, før den begynder." in body
    draft = Agreement.objects.get()
    assert draft.document_name == "Aftale med Aarhus.pdf"
    assert draft.valid_to is None  # the step itself was not saved
    size = re.search(
        r'<p class="current-file">Vedhæftet: <a href="([^"]+)"[^>]*>([^<]+)</a> \(([^)]+)\)', body
    )
    assert size, "the kept file is not named on the page"
    download, name, shown_size = size.groups()
    assert name == "Aftale med Aarhus.pdf" and re.fullmatch(r"[\d,]+\s(KB|bytes)", shown_size)
    assert '<label class="form-label" for="document-clear_id">Fjern filen</label>' in body
    assert "Vælg en anden fil i stedet" in body

    # Stored privately: only the author opens it.
    assert [p.name for p in private_files()] == [Path(draft.document.name).name]
    assert Path(settings.PRIVATE_MEDIA_ROOT) not in Path(settings.MEDIA_ROOT).parents
    opened = client.get(download)
    assert opened.status_code == 200
    assert b"".join(opened.streaming_content).startswith(b"%PDF-")
    colleague = UserFactory(verified=True)
    AffiliationFactory(person=colleague, organisation=housing_org)
    client.force_login(colleague)
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 404

    # Corrected without choosing the file again: the file ends on the sent answer.
    client.force_login(submitter)
    with django_capture_on_commit_callbacks(execute=True):
        response = answer_questionnaire(
            client, call_page.questionnaire_url(draft), complete_answer()
        )
    assert response["Location"] == call_page.url + f"tak/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.SUBMITTED
    assert draft.document_name == "Aftale med Aarhus.pdf"
    assert len(private_files()) == 1


def test_min_side_shows_the_draft_a_kept_file_made_at_once(client, call_page, submitter):
    """Min side's section is kept in the cache (`fragments`); the draft made to keep a
    file must show there at once, and so must the sent answer."""
    client.force_login(submitter)
    assert "Fortsæt kladden" not in client.get("/min-side/").content.decode()  # kept now
    data = complete_answer(valid_from="2020-01-01", valid_to="2019-12-31")
    response = answer_step(
        client, call_page.questionnaire_url(), 2, {**data, "document": pdf_upload()}
    )
    assert response.status_code == 200
    draft = Agreement.objects.get()
    my_page = client.get("/min-side/").content.decode()
    assert "Fortsæt kladden" in my_page
    assert f"svar/{draft.pk}/" in my_page
    answer_questionnaire(client, call_page.questionnaire_url(draft), complete_answer())
    assert "Fortsæt kladden" not in client.get("/min-side/").content.decode()


def test_a_kept_file_can_be_removed_or_replaced(
    client, call_page, submitter, django_capture_on_commit_callbacks
):
    client.force_login(submitter)
    url = call_page.questionnaire_url()
    with django_capture_on_commit_callbacks(execute=True):
        url = answer_step(client, url, 2, {"document": pdf_upload("første.pdf")}, navigate="save")[
            "Location"
        ]
        answer_step(client, url, 2, {"document": pdf_upload("anden.pdf")}, navigate="save")
    draft = Agreement.objects.get()
    assert draft.document_name == "anden.pdf"
    assert len(private_files()) == 1  # the replaced file is deleted

    with django_capture_on_commit_callbacks(execute=True):
        answer_step(client, url, 2, {"document-clear": "on"}, navigate="save")
    draft.refresh_from_db()
    assert not draft.document and draft.document_name == ""
    assert "Vedhæftet" not in client.get(url).content.decode()


def test_a_bad_file_is_not_kept_and_the_error_is_at_the_field(client, call_page, submitter):
    client.force_login(submitter)
    bad = SimpleUploadedFile("aftale.pdf", b"Dette er ikke en PDF", "application/pdf")
    response = answer_step(
        client, call_page.questionnaire_url(), 2, {**complete_answer(), "document": bad}
    )
    assert response.status_code == 200
    assert 'href="#id_document"' in summary_of(response)
    check_form_page(response, errors=True)
    assert not Agreement.objects.exists()
    assert private_files() == []


# --- Queries ----------------------------------------------------------------------------


# Queries for a step of a draft with two topics (measured on SQLite and pinned; the
# draft's topics and organisations are read once, whatever their number).
STEP_QUERIES = {1: 12, 2: 11, 3: 9, 4: 13}


@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_a_step_page_takes_a_fixed_number_of_queries(
    client, call_page, submitter, step, django_assert_max_num_queries
):
    client.force_login(submitter)
    url = call_page.questionnaire_url()
    data = {**complete_answer(), "document": pdf_upload()}
    for number in (1, 2, 3):
        url = answer_step(client, url, number, data)["Location"]
    url = url.split("?")[0] + f"?trin={step}"
    client.get(url)  # warm the page tree's and the site settings' caches
    with django_assert_max_num_queries(STEP_QUERIES[step]):
        assert client.get(url).status_code == 200
