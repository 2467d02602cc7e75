import datetime
import io
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from network.factories import AffiliationFactory, OrganisationFactory
from network.library.factories import AgreementCallPageFactory, AgreementFactory, municipality
from network.library.models import Agreement, Topic
from network.library.pdf import simple_pdf
from network.models import Organisation
from portal.factories import UserFactory
from tests.library.helpers import answer_questionnaire, answer_step, log_of
from tests.mailserver import assert_retrying_and_logged

COPENHAGEN = datetime.timezone(datetime.timedelta(hours=1))  # CET, winter


def pdf_upload(name="aftale.pdf"):
    return SimpleUploadedFile(name, simple_pdf("Aftale", ["Om boligplacering"]), "application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def complete_answer(**overrides):
    submitter_org = Organisation.objects.filter(name="Boligforeningen Åbo").first()
    data = {
        "organisation": submitter_org.pk if submitter_org else None,
        "municipality": municipality("751").pk,
        "other_parties": "",
        "state": "signed",
        "topics": [Topic.objects.get(code="placement").pk, Topic.objects.get(code="reception").pk],
        "signed_on": "2016-03-01",
        "valid_from": "2016-04-01",
        "valid_to": "2019-12-31",
        "dwellings_per_year": "25",
        "vacant_share": "12,5",
        "description": "Kommunen anviser, vi byder velkommen.",
        "consent": "members",
        "parties_agree": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def private_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Deadline ------------------------------------------------------------------------


@pytest.fixture
def closed_call(home_page):
    return AgreementCallPageFactory(
        parent=home_page, slug="kortlaegning-2016", deadline=datetime.date(2016, 2, 20)
    )


@time_machine.travel(datetime.datetime(2016, 2, 21, 0, 1, tzinfo=COPENHAGEN), tick=False)
def test_after_the_deadline_the_form_is_closed_and_saves_nothing(client, closed_call, submitter):
    client.force_login(submitter)
    page = client.get(closed_call.url).content.decode()
    assert "Spørgeskemaet er lukket" in page
    assert "Start spørgeskemaet" not in page

    # Someone who opened the form before midnight sends it after the deadline.
    response = client.post_with_token(
        closed_call.questionnaire_url(),
        {**complete_answer(), "document": pdf_upload()},
        page=closed_call.url,
    )
    assert response.status_code == 200
    assert "Fristen var 20. februar 2016. Spørgeskemaet er lukket." in response.content.decode()
    assert not Agreement.objects.exists()
    assert private_files() == []


@time_machine.travel(datetime.datetime(2016, 2, 20, 23, 59, tzinfo=COPENHAGEN), tick=False)
def test_the_deadline_day_is_open_until_midnight_in_copenhagen(client, closed_call, submitter):
    client.force_login(submitter)
    response = client.get(closed_call.questionnaire_url())
    assert 'name="organisation"' in response.content.decode()


@time_machine.travel(datetime.datetime(2016, 3, 15, 12, 0, tzinfo=COPENHAGEN), tick=False)
def test_editors_can_reopen_a_closed_call(client, closed_call, submitter):
    closed_call.reopened = True
    closed_call.save_revision().publish()
    client.force_login(submitter)
    response = answer_questionnaire(
        client, closed_call.questionnaire_url(), {**complete_answer(), "document": pdf_upload()}
    )
    assert response.status_code == 302
    assert Agreement.objects.get().status == Agreement.Status.SUBMITTED


def test_the_questionnaire_asks_anonymous_visitors_to_log_in(client, call_page):
    response = client.get(call_page.questionnaire_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_a_person_without_an_organisation_is_told_how_to_join(client, call_page):
    client.force_login(UserFactory(verified=True))
    body = client.get(call_page.questionnaire_url()).content.decode()
    assert "forbundet med din boligorganisation" in body
    assert 'name="municipality"' not in body


# --- Submitting, draft and resume --------------------------------------------------------


def test_a_housing_organisation_submits_an_answer(
    client, call_page, submitter, housing_org, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(submitter)
    with django_capture_on_commit_callbacks(execute=True):
        response = answer_questionnaire(
            client,
            call_page.questionnaire_url(),
            {**complete_answer(), "document": pdf_upload("Aftale 2016.pdf")},
        )
    assert response.status_code == 302
    answer = Agreement.objects.get()
    assert response["Location"] == call_page.url + f"tak/{answer.pk}/"
    assert answer.status == Agreement.Status.SUBMITTED
    assert answer.submitting_organisation == housing_org
    assert list(answer.housing_organisations.all()) == [housing_org]
    assert answer.title == "Aarhus Kommune og Boligforeningen Åbo"
    # The submitter consented for its housing organisation; the municipality has not
    # answered yet, so the agreement is internal.
    assert [(c.organisation, c.level, c.given_by, c.via) for c in answer.party_consents.all()] == [
        (housing_org, "members", submitter, "submission")
    ]
    assert answer.requested_level == Agreement.Consent.MEMBERS
    assert answer.consent == Agreement.Consent.INTERNAL
    assert answer.vacant_share == pytest.approx(12.5)
    assert answer.document_name == "Aftale 2016.pdf"
    assert answer.document_type == "application/pdf"
    assert sorted(t.code for t in answer.topics.all()) == ["placement", "reception"]
    log = log_of(answer)
    assert [e.action for e in log] == [
        "library.agreement.submitted",
        "library.consent.given",
        "library.agreement.shown_as_changed",
    ]
    assert {e.user for e in log} == {submitter}
    assert log[1].data["new"] == "members" and log[1].data["party"] == housing_org.name
    receipt, staff_mail = mailoutbox
    assert receipt.to == ["anna@aabo.dk"]
    assert "Vi har modtaget dit svar" in receipt.subject
    assert staff_mail.to == ["koordinator@erfa.example"]
    assert f"/admin/aftaler/edit/{answer.pk}/" in staff_mail.body
    # Nothing is visible before review.
    assert Agreement.objects.visible_to(UserFactory()).count() == 0


def test_missing_answers_are_explained_in_danish_and_the_step_is_not_saved(
    client, call_page, submitter
):
    client.force_login(submitter)
    data = complete_answer(topics=None, consent="public", parties_agree=None)
    url = answer_step(client, call_page.questionnaire_url(), 1, data)["Location"]
    response = answer_step(client, url, 2, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vælg mindst ét emne." in body
    assert "Vedhæft den underskrevne aftale." in body
    draft = Agreement.objects.get()
    assert draft.status == Agreement.Status.DRAFT
    assert draft.municipality is None and draft.state == ""  # the step was not saved

    response = answer_step(client, url, 3, data)
    assert response.status_code == 200
    assert "Bekræft, at parterne er enige i, at aftalen må deles." in response.content.decode()
    draft.refresh_from_db()
    assert draft.consent == ""
    assert Agreement.objects.exclude(status=Agreement.Status.DRAFT).count() == 0


def test_a_no_agreement_answer_needs_no_document_or_topics(client, call_page, submitter):
    client.force_login(submitter)
    response = answer_questionnaire(
        client,
        call_page.questionnaire_url(),
        complete_answer(state="none", topics=None, consent="internal", parties_agree=None),
    )
    assert response.status_code == 302
    answer = Agreement.objects.get()
    assert answer.state == Agreement.State.NONE
    assert answer.signed_on is None
    assert not answer.topics.exists()


def test_save_a_draft_and_resume_it(
    client, call_page, submitter, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(submitter)
    response = answer_step(
        client,
        call_page.questionnaire_url(),
        2,
        {"municipality": municipality("101").pk, "document": pdf_upload("udkast.pdf")},
        navigate="save",
    )
    draft = Agreement.objects.get()
    assert draft.status == Agreement.Status.DRAFT
    assert response["Location"] == call_page.url + f"svar/{draft.pk}/?trin=2"
    assert "Din kladde er gemt" in client.get(response["Location"]).content.decode()
    assert mailoutbox == []
    assert Agreement.objects.visible_to(submitter).count() == 0

    # Coming back later: "Min side" and the call page link to the draft, which is prefilled.
    my_page = client.get("/min-side/").content.decode()
    assert "Fortsæt kladden" in my_page
    assert f"svar/{draft.pk}/" in client.get(call_page.url).content.decode()
    # It opens at the first step not done yet (the organisation has not been chosen).
    resumed = client.get(call_page.questionnaire_url(draft)).content.decode()
    assert "<title>Trin 1 af 4: Hvem svarer" in resumed
    resumed = client.get(call_page.questionnaire_url(draft) + "?trin=2").content.decode()
    assert f'<option value="{municipality("101").pk}" selected>' in resumed
    assert "udkast.pdf" in resumed

    # Finish it without uploading the file again.
    with django_capture_on_commit_callbacks(execute=True):
        response = answer_questionnaire(
            client,
            call_page.questionnaire_url(draft),
            complete_answer(municipality=municipality("101").pk),
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.SUBMITTED
    assert draft.document_name == "udkast.pdf"
    assert Agreement.objects.count() == 1
    assert len(mailoutbox) == 2
    # A submitted answer can no longer be edited through the questionnaire.
    assert client.get(call_page.questionnaire_url(draft)).status_code == 302


def test_someone_elses_draft_is_not_found(client, call_page, submitter, housing_org):
    draft = AgreementFactory(status=Agreement.Status.DRAFT, submitted_by=submitter)
    draft.call = call_page
    draft.save()
    colleague = UserFactory(verified=True)
    AffiliationFactory(person=colleague, organisation=housing_org)
    client.force_login(colleague)
    assert client.get(call_page.questionnaire_url(draft)).status_code == 404


def test_an_administration_company_answers_for_the_organisations_it_administers(
    client, call_page, mailoutbox
):
    company = OrganisationFactory(
        kind=Organisation.Kind.ADMINISTRATION_COMPANY, name="Bolig Admin A/S"
    )
    first = OrganisationFactory(name="Afdeling Nord", administered_by=company)
    second = OrganisationFactory(name="Afdeling Syd", administered_by=company)
    stranger = OrganisationFactory(name="Fremmed Bolig")
    person = UserFactory(verified=True)
    AffiliationFactory(person=person, organisation=company)
    client.force_login(person)

    form_page = client.get(call_page.questionnaire_url()).content.decode()
    assert "Afdeling Nord" in form_page and "Fremmed Bolig" not in form_page

    # Not one of theirs: refused, nothing saved.
    response = answer_questionnaire(
        client,
        call_page.questionnaire_url(),
        {
            **complete_answer(organisation=company.pk, on_behalf_of=[first.pk, stranger.pk]),
            "document": pdf_upload(),
        },
    )
    assert response.status_code == 200
    assert not Agreement.objects.exists()

    response = answer_questionnaire(
        client,
        call_page.questionnaire_url(),
        {
            **complete_answer(organisation=company.pk, on_behalf_of=[first.pk, second.pk]),
            "document": pdf_upload(),
        },
    )
    assert response.status_code == 302
    answer = Agreement.objects.get()
    assert answer.submitting_organisation == company
    assert set(answer.housing_organisations.all()) == {first, second}
    assert answer.title == "Aarhus Kommune og Afdeling Nord, Afdeling Syd"


def test_an_administration_company_must_say_whom_it_answers_for(client, call_page):
    company = OrganisationFactory(kind=Organisation.Kind.ADMINISTRATION_COMPANY)
    OrganisationFactory(administered_by=company)
    person = UserFactory(verified=True)
    AffiliationFactory(person=person, organisation=company)
    client.force_login(person)
    response = answer_questionnaire(
        client,
        call_page.questionnaire_url(),
        {**complete_answer(organisation=company.pk), "document": pdf_upload()},
    )
    assert "Vælg de boligorganisationer, svaret dækker." in response.content.decode()
    assert not Agreement.objects.exists()


def test_nobody_answers_for_an_organisation_they_are_not_verified_in(client, call_page, submitter):
    other = OrganisationFactory(name="Andres Bolig")
    client.force_login(submitter)
    response = answer_questionnaire(
        client,
        call_page.questionnaire_url(),
        {**complete_answer(organisation=other.pk), "document": pdf_upload()},
    )
    assert response.status_code == 200
    assert not Agreement.objects.exists()


# --- Files ----------------------------------------------------------------------------


NOT_A_DOCUMENT = "Filen skal være et PDF-, Word- (DOCX) eller OpenDocument-dokument (ODT)."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("aftale.pdf", b"Dette er ikke en PDF", NOT_A_DOCUMENT),
        ("aftale.exe", b"MZ\x90\x00" + b"\x00" * 100, NOT_A_DOCUMENT),
        ("aftale.docx", b"PK\x03\x04 not really a zip", NOT_A_DOCUMENT),
        (
            "aftale.pdf",
            docx_bytes(),
            "Filen er et Word (DOCX)-dokument, men navnet ender på ».pdf«.",
        ),
        (
            "aftale.pdf",
            b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024),
            "Filen er for stor (20,0 MB). Den må højst fylde 20 MB.",
        ),
    ],
    ids=["text-named-pdf", "executable", "broken-zip", "docx-named-pdf", "oversized"],
)
@pytest.mark.parametrize("button", ["next", "save"])
def test_bad_and_oversized_files_are_rejected_and_nothing_is_saved(
    client, call_page, submitter, name, content, message, button
):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    client.force_login(submitter)
    response = answer_step(
        client,
        call_page.questionnaire_url(),
        2,
        {**complete_answer(), "document": upload},
        navigate=button,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agreement.objects.exists()
    assert private_files() == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "aftale.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("aftale.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("AFTALE.PDF", simple_pdf("Aftale"), "application/pdf"),
    ],
)
def test_pdf_docx_and_odt_are_accepted(client, call_page, submitter, name, content, content_type):
    client.force_login(submitter)
    response = answer_questionnaire(
        client,
        call_page.questionnaire_url(),
        {
            **complete_answer(),
            "document": SimpleUploadedFile(name, content, "application/octet-stream"),
        },
    )
    assert response.status_code == 302
    answer = Agreement.objects.get()
    assert answer.document_type == content_type
    assert [p.name for p in private_files()] == [Path(answer.document.name).name]


# --- Consent withdrawal -----------------------------------------------------------------


def test_withdrawing_consent_removes_the_agreement_from_library_and_search_at_once(
    client, library_page, submitter, housing_org, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = AgreementFactory(
        title="Tulipanaftalen om velkomst",
        submitted_by=submitter,
        submitting_organisation=housing_org,
    )
    assert "Tulipanaftalen om velkomst" in client.get(library_page.url).content.decode()
    assert "Tulipanaftalen om velkomst" in client.get("/soeg/?q=Tulipanaftalen").content.decode()

    client.force_login(submitter)
    my_page = client.get("/min-side/").content.decode()
    assert "Træk samtykke tilbage" in my_page
    confirm_url = f"/aftaler/svar/{agreement.pk}/traek-samtykke-tilbage/"
    assert client.get(confirm_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(confirm_url)
    assert response.status_code == 302

    client.logout()
    assert "Tulipanaftalen" not in client.get(library_page.url).content.decode()
    assert (
        "Tulipanaftalen om velkomst" not in client.get("/soeg/?q=Tulipanaftalen").content.decode()
    )
    assert client.get(library_page.agreement_url(agreement)).status_code == 404
    assert client.get(f"/aftaler/dokument/{agreement.pk}/").status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.WITHDRAWN
    withdrawn = [e for e in log_of(agreement) if e.action == "library.agreement.withdrawn"]
    assert [(e.user, e.data["old_status"], e.data["status"]) for e in withdrawn] == [
        (submitter, "published", "withdrawn")
    ]
    assert agreement.party_consents.get(organisation=housing_org).level == "declined"
    assert mailoutbox[0].to == ["koordinator@erfa.example"]


def test_a_colleague_in_the_organisation_may_withdraw_but_a_stranger_may_not(client, housing_org):
    agreement = AgreementFactory(submitting_organisation=housing_org)
    stranger = UserFactory(verified=True)
    client.force_login(stranger)
    url = f"/aftaler/svar/{agreement.pk}/traek-samtykke-tilbage/"
    assert client.get(url).status_code == 404
    assert client.post_with_token(url, page="/min-side/").status_code == 404
    colleague = UserFactory(verified=True)
    AffiliationFactory(person=colleague, organisation=housing_org)
    client.force_login(colleague)
    assert client.submit(url).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.WITHDRAWN


def test_min_side_lists_the_organisations_answers_but_not_a_colleagues_draft(
    client, submitter, housing_org
):
    colleague = UserFactory(verified=True)
    AffiliationFactory(person=colleague, organisation=housing_org)
    AgreementFactory(
        title="Kollegaens indsendte svar",
        status=Agreement.Status.SUBMITTED,
        submitted_by=colleague,
        submitting_organisation=housing_org,
    )
    AgreementFactory(
        title="Kollegaens kladde",
        status=Agreement.Status.DRAFT,
        submitted_by=colleague,
        submitting_organisation=housing_org,
    )
    client.force_login(submitter)
    page = client.get("/min-side/").content.decode()
    assert "Dine aftalesvar" in page
    assert "Kollegaens indsendte svar" in page
    assert "Kollegaens kladde" not in page


def test_a_mail_server_outage_does_not_turn_a_saved_answer_into_an_error(
    client,
    call_page,
    submitter,
    housing_org,
    failing_mail_server,
    caplog,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(submitter)
    with django_capture_on_commit_callbacks(execute=True):
        response = answer_questionnaire(
            client, call_page.questionnaire_url(), {**complete_answer(), "document": pdf_upload()}
        )
    answer = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == call_page.url + f"tak/{answer.pk}/"
    assert "Tak for dit svar" in client.get(response["Location"]).content.decode()
    assert answer.status == Agreement.Status.SUBMITTED
    # The receipt and the staff notice wait for the mail server, and the log says so.
    assert_retrying_and_logged(caplog, {"anna@aabo.dk", "koordinator@erfa.example"})
    assert mailoutbox == []
