"""Staff review in the Wagtail admin: edit, publish, reject with a reason, audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from network.library import services
from network.library.factories import AgreementFactory
from network.library.models import Agreement, AgreementEvent
from portal.factories import UserFactory


@pytest.fixture
def submitted(submitter, housing_org):
    return AgreementFactory(
        title="Aarhus Kommune og Boligforeningen Åbo",
        status=Agreement.Status.SUBMITTED,
        consent=Agreement.Consent.MEMBERS,
        submitted_by=submitter,
        submitting_organisation=housing_org,
    )


def test_staff_see_submitted_answers_in_the_admin_list(client, staff, submitted):
    client.force_login(staff)
    response = client.get("/admin/aftaler/")
    assert response.status_code == 200
    assert "Aarhus Kommune og Boligforeningen Åbo" in response.content.decode()
    edit = client.get(f"/admin/aftaler/edit/{submitted.pk}/").content.decode()
    assert "Udgiv" in edit and "Afvis" in edit
    assert f"/aftaler/dokument/{submitted.pk}/" in edit  # the reviewer reads the document


def test_people_without_the_review_permission_cannot_reach_the_admin_views(client, submitted):
    client.force_login(UserFactory(verified=True, is_staff=True))
    assert client.get("/admin/aftaler/").status_code in (302, 403)
    assert client.submit(f"/admin/aftaler/publish/{submitted.pk}/").status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.SUBMITTED


def test_publish_in_the_admin(
    client, staff, submitted, library_page, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    assert client.get(f"/admin/aftaler/publish/{submitted.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(f"/admin/aftaler/publish/{submitted.pk}/")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.PUBLISHED
    assert submitted.reviewed_by == staff
    event = submitted.events.get()
    assert (event.action, event.actor, event.old_status, event.new_status) == (
        AgreementEvent.Action.PUBLISHED,
        staff,
        "submitted",
        "published",
    )
    assert mailoutbox[0].to == [submitted.submitted_by.email]
    assert "godkendt" in mailoutbox[0].subject
    client.force_login(member)
    assert client.get(library_page.agreement_url(submitted)).status_code == 200


def test_reject_needs_a_reason_which_is_emailed(
    client, staff, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    response = client.submit(f"/admin/aftaler/reject/{submitted.pk}/", {"reason": ""})
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        client.submit(
            f"/admin/aftaler/reject/{submitted.pk}/",
            {"reason": "Aftalen er allerede indsendt af kommunen."},
        )
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.REJECTED
    assert submitted.rejection_reason == "Aftalen er allerede indsendt af kommunen."
    assert "Aftalen er allerede indsendt af kommunen." in mailoutbox[0].body
    assert submitted.events.get().note == "Aftalen er allerede indsendt af kommunen."


def test_editing_summary_parties_and_consent_is_audited(client, staff, submitted, housing_org):
    client.force_login(staff)
    edit_url = f"/admin/aftaler/edit/{submitted.pk}/"
    data = {
        "title": "Aftale om boligplacering i Aarhus",
        "summary": "Kommunen anviser 25 boliger om året.",
        "municipality": submitted.municipality.pk,
        "housing_organisations": [housing_org.pk],
        "other_parties": "Boligselskabet Nord",
        "state": "signed",
        "topics": [t.pk for t in submitted.topics.all()],
        "signed_on": "2016-03-01",
        "valid_from": "",
        "valid_to": "",
        "dwellings_per_year": "25",
        "vacant_share": "",
        "consent": "public",
    }
    response = client.submit(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    submitted.refresh_from_db()
    assert submitted.summary == "Kommunen anviser 25 boliger om året."
    assert submitted.other_parties == "Boligselskabet Nord"
    event = submitted.events.get()
    assert (event.action, event.actor, event.old_consent, event.new_consent) == (
        AgreementEvent.Action.CONSENT_CHANGED,
        staff,
        "members",
        "public",
    )
    assert "samtykke medlemmer → offentlig" in client.get(edit_url).content.decode()


def test_review_services_check_permission_and_status(staff, submitted, submitter):
    with pytest.raises(PermissionDenied):
        services.publish(agreement=submitted, by=submitter)
    draft = AgreementFactory(status=Agreement.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.publish(agreement=draft, by=staff)
    services.publish(agreement=submitted, by=staff)
    services.publish(agreement=submitted, by=staff)  # twice: one event only
    assert submitted.events.count() == 1
    services.change_consent(
        agreement=submitted, by=staff, consent="internal", note="Kommunen ønsker det"
    )
    services.change_consent(agreement=submitted, by=staff, consent="internal")
    assert [e.action for e in submitted.events.all()] == ["published", "consent_changed"]


def test_staff_preview_and_download_unpublished_answers(client, staff, submitted, library_page):
    client.force_login(staff)
    detail = client.get(library_page.agreement_url(submitted))
    assert detail.status_code == 200
    assert "Ikke udgivet (Indsendt): kun sagsbehandlere ser dette." in detail.content.decode()
    assert client.get(f"/aftaler/dokument/{submitted.pk}/").status_code == 200


def test_editor_preview_of_the_library_goes_through_the_same_rule(
    client, rf, staff, submitted, library_page
):
    def preview_as(person):
        # Wagtail's preview runs the middleware on a dummy request carrying the editor's
        # session cookie, so the viewer is whoever is logged in.
        client.force_login(person)
        request = rf.get(library_page.url)
        request.META["HTTP_COOKIE"] = f"sessionid={client.cookies['sessionid'].value}"
        return library_page.make_preview_request(original_request=request).content.decode()

    assert "Aarhus Kommune og Boligforeningen Åbo" in preview_as(staff)
    assert "Aarhus Kommune og Boligforeningen Åbo" not in preview_as(UserFactory(verified=True))


@pytest.mark.parametrize(
    "params",
    [
        {"status": "submitted"},
        {"consent": "members"},
        {"state": "signed"},
        {"q": "Åbo"},
        {"ordering": "-submitted_at"},
    ],
)
def test_admin_list_filters_and_search(client, staff, submitted, params):
    client.force_login(staff)
    response = client.get("/admin/aftaler/", params)
    assert response.status_code == 200
    assert "Aarhus Kommune og Boligforeningen Åbo" in response.content.decode()


def test_untitled_answers_are_named_after_who_they_are_from_in_the_admin_list(
    client, staff, submitter, housing_org, django_assert_max_num_queries
):
    AgreementFactory(
        title="",
        status=Agreement.Status.DRAFT,
        submitted_at=None,
        submitted_by=submitter,
        submitting_organisation=housing_org,
    )
    AgreementFactory(
        title="",
        status=Agreement.Status.SUBMITTED,
        municipality=None,
        submitted_by=submitter,
        submitting_organisation=housing_org,
    )
    nameless = AgreementFactory(title="", municipality=None, submitting_organisation=None)
    client.force_login(staff)
    with django_assert_max_num_queries(40):
        html = client.get("/admin/aftaler/").content.decode()
    assert "(blank)" not in html and "(tom)" not in html
    assert "Kladde fra Aarhus Kommune, Boligforeningen Åbo" in html
    assert "Svar fra Boligforeningen Åbo" in html
    assert f"Svar nr. {nameless.pk}" in html
