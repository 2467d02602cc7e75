"""Meeting materials: who may open them (meetings.access), what the page says when
someone may not, the editor's widget, random stored names and file sizes."""

import re
import urllib.parse

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from meetings.access import material_access
from meetings.factories import RegistrationFactory
from meetings.models import MeetingMaterial, MeetingPage, Registration
from network.library.pdf import simple_pdf
from portal.factories import UserFactory

from .conftest import cph

MINUTES_PDF = simple_pdf("Referat af mødet", ["Deltagerne drøftede Housing First."])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def past_meeting(make_meeting):
    """December 2021, materials for members of the network (the demo's meeting)."""
    return make_meeting(
        title="3. netværksmøde 2021",
        start=cph(2021, 12, 8, 9, 30),
        end=cph(2021, 12, 8, 15, 30),
        materials_audience=MeetingPage.MaterialsAudience.MEMBERS,
    )


@pytest.fixture
def minutes(past_meeting):
    material = MeetingMaterial(meeting=past_meeting, title="Referat af mødet", kind="minutes")
    MeetingMaterial._meta.get_field("file").attach(
        material, ContentFile(MINUTES_PDF, name="Referat 8. december.pdf")
    )
    material.save()
    return material


def editor(**kwargs):
    """A Wagtail editor as the demo has them: in the Editors group, not `is_staff`."""
    user = UserFactory(verified=True, **kwargs)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


# --- The rule ---------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_log_in(past_meeting):
    from django.contrib.auth.models import AnonymousUser

    decision = material_access(AnonymousUser(), past_meeting)
    assert (decision.allowed, decision.reason) == (False, "anonymous")


def test_an_attendee_always_opens_the_materials(
    past_meeting, non_member_org, person_at, member_org
):
    """Neither a member then nor now: having been there is enough, also when the editor
    keeps the materials for participants only."""
    org = non_member_org()
    attendee = person_at(org)
    RegistrationFactory(
        meeting=past_meeting, person=attendee, organisation=org, attended_at=cph(2021, 12, 8, 9, 40)
    )
    assert material_access(attendee, past_meeting).allowed
    past_meeting.materials_audience = MeetingPage.MaterialsAudience.ATTENDEES
    assert material_access(attendee, past_meeting).allowed
    # A member who was not there may not, when the editor chose participants only.
    member = person_at(member_org())
    decision = material_access(member, past_meeting)
    assert (decision.allowed, decision.reason) == (False, "not_attendee")


def test_a_cancelled_registration_is_not_attendance(past_meeting, non_member_org, person_at):
    org = non_member_org()
    person = person_at(org)
    RegistrationFactory(
        meeting=past_meeting,
        person=person,
        organisation=org,
        status=Registration.Status.CANCELLED,
    )
    assert material_access(person, past_meeting).reason == "not_member"


def test_members_now_and_members_then_open_the_materials(past_meeting, member_org, person_at):
    member_now = person_at(member_org())  # this year and next, not 2021
    member_then = person_at(member_org(years=[2021]))  # 2021 only
    assert material_access(member_now, past_meeting).allowed
    assert material_access(member_then, past_meeting).allowed


def test_a_non_member_is_told_so(past_meeting, non_member_org, person_at):
    outsider = person_at(non_member_org())
    decision = material_access(outsider, past_meeting)
    assert (decision.allowed, decision.reason) == (False, "not_member")


def test_staff_are_those_with_the_permission_not_is_staff(past_meeting):
    """An editor who is not `is_staff` opens materials (docs/meetings.md: staff always);
    `is_staff` alone gives nothing."""
    assert material_access(editor(), past_meeting).allowed
    assert not material_access(UserFactory(verified=True, is_staff=True), past_meeting).allowed


def test_only_staff_open_materials_of_an_unpublished_meeting(past_meeting, member_org, person_at):
    member = person_at(member_org())
    past_meeting.unpublish()
    assert material_access(member, past_meeting).reason == "not_published"
    assert material_access(editor(), past_meeting).allowed


def fresh(user):
    """The person as the next request loads them (permissions are kept per request)."""
    return type(user).objects.get(pk=user.pk)


def test_someone_who_may_edit_the_meeting_page_in_wagtail_is_staff_for_it(
    past_meeting, non_member_org, person_at
):
    """Page permissions come through groups only (no registrations permission here): the
    answer follows the group membership from the next request on."""
    from wagtail.models import GroupPagePermission

    page_editors = Group.objects.create(name="Mødesideredaktører")
    GroupPagePermission.objects.create(
        group=page_editors, page=past_meeting.get_parent(), permission_type="change"
    )
    person = person_at(non_member_org())
    past_meeting.unpublish()
    assert material_access(fresh(person), past_meeting).reason == "not_published"
    person.groups.add(page_editors)
    assert material_access(fresh(person), past_meeting).allowed
    person.groups.remove(page_editors)
    assert material_access(fresh(person), past_meeting).reason == "not_published"


def test_a_meeting_in_a_private_section_is_not_published_for_members(
    past_meeting, member_org, person_at
):
    from wagtail.models import PageViewRestriction

    member = person_at(member_org())
    assert material_access(fresh(member), past_meeting).allowed
    restriction = PageViewRestriction.objects.create(
        page=past_meeting.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    assert material_access(fresh(member), past_meeting).reason == "not_published"
    restriction.delete()
    assert material_access(fresh(member), past_meeting).allowed


# --- The view and the page ----------------------------------------------------------------


def test_the_demo_member_who_attended_opens_the_minutes(client, minutes, non_member_org, person_at):
    """Issue 8, item 7: listed as "Deltog" at the 2021 meeting, logged in, and told to log
    in, with the file answering 403. Now the page lists the minutes and the file opens."""
    org = non_member_org()
    attendee = person_at(org)
    RegistrationFactory(
        meeting=minutes.meeting,
        person=attendee,
        organisation=org,
        attended_at=cph(2021, 12, 8, 9, 40),
    )
    client.force_login(attendee)
    page = text(client.get(minutes.meeting.url))
    assert "Log ind for at se dem" not in page
    assert f'<a href="{minutes.get_absolute_url()}">Referat af mødet</a>' in page
    response = client.get(minutes.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINUTES_PDF
    disposition = urllib.parse.unquote(response["Content-Disposition"])
    assert "Referat 8. december.pdf" in disposition


def test_a_logged_in_non_member_is_told_the_true_reason(client, minutes, non_member_org, person_at):
    outsider = person_at(non_member_org())
    client.force_login(outsider)
    page = text(client.get(minutes.meeting.url))
    assert "Log ind for at se dem" not in page
    assert "Du er logget ind, men du er ikke medlem af netværket" in page
    assert "Tilmeld organisationen" in page
    assert minutes.get_absolute_url() not in page

    response = client.get(minutes.get_absolute_url())
    assert response.status_code == 403
    assert "Du er logget ind, men du er ikke medlem af netværket" in text(response)


def test_an_anonymous_visitor_is_sent_to_log_in(client, minutes):
    page = text(client.get(minutes.meeting.url))
    assert "Log ind for at se dem" in page
    response = client.get(minutes.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_an_editor_without_is_staff_downloads_materials(client, minutes):
    client.force_login(editor())
    response = client.get(minutes.get_absolute_url())
    assert response.status_code == 200


def test_the_file_size_reads_in_kb_on_the_page(client, minutes, member_org, person_at):
    client.force_login(person_at(member_org()))
    page = client.get(minutes.meeting.url).content.decode()
    size = f"{max(1, round(len(MINUTES_PDF) / 1024))}\N{NO-BREAK SPACE}kB"
    assert f"Referat, PDF, {size}" in page
    assert "bytes" not in page


@pytest.mark.parametrize(
    ("size", "expected"),
    [(791, "1 kB"), (12_345, "12 kB"), (1_500_000, "1,4 MB"), (25 * 1024 * 1024, "25,0 MB")],
)
def test_file_size_filter_in_danish(size, expected):
    with translation.override("da"):
        rendered = Template("{% load file_size %}{{ size|file_size }}").render(
            Context({"size": size})
        )
    assert rendered == expected.replace(" ", "\N{NO-BREAK SPACE}")


# --- The editor ------------------------------------------------------------------------


def _publish_with_material(client, meeting, upload, *, material=None):
    """Post the page editor's form as Wagtail's editor does, with one material."""
    row = {"title": "Slides fra oplægget", "kind": "slides", "file": upload}
    if material is not None:
        row["id"] = material.pk
    data = nested_form_data(
        {
            "title": meeting.title,
            "slug": meeting.slug,
            "start": meeting.local_start.strftime("%Y-%m-%d %H:%M"),
            "end": meeting.local_end.strftime("%Y-%m-%d %H:%M"),
            "status": "planned",
            "lead": meeting.lead,
            "programme": streamfield([]),
            "audience": meeting.audience,
            "capacity": meeting.capacity,
            "seats_per_organisation": 2,
            "trial_places": 0,
            "materials_audience": "members",
            "materials": inline_formset([row], initial=1 if material else 0),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    if upload is None:
        del data["materials-0-file"]
    data["practical_information"] = '{"blocks": [], "entityMap": {}}'
    return client.submit(f"/admin/pages/{meeting.pk}/edit/", data)


def test_the_edit_view_of_a_meeting_with_materials_opens_and_links_the_file(client, minutes):
    """Issue 8, item 1: this answered 500 "Private files have no URL"."""
    moderator = editor()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    response = client.get(f"/admin/pages/{minutes.meeting.pk}/edit/")
    assert response.status_code == 200
    link = (
        f'<a href="/moeder/materiale/{minutes.pk}/" target="_blank" rel="noopener">'
        "Referat 8. december.pdf</a>"
    )
    assert link in response.content.decode()
    # The link works for the editor, who is not is_staff.
    assert client.get(f"/moeder/materiale/{minutes.pk}/").status_code == 200


def test_uploads_get_random_stored_names_and_keep_the_uploaders_name(client, past_meeting):
    moderator = editor()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    upload = SimpleUploadedFile("Slides Jens Jensen.pdf", simple_pdf("Slides"))
    assert _publish_with_material(client, past_meeting, upload).status_code == 302
    first = MeetingMaterial.objects.get(meeting=past_meeting)
    assert first.file_name == "Slides Jens Jensen.pdf"
    assert first.file_type == "application/pdf"
    assert re.fullmatch(r"materials/[0-9a-f]{32}\.pdf", first.file.name)

    # The editor reopens the page (no 500), replaces the file and republishes.
    assert client.get(f"/admin/pages/{past_meeting.pk}/edit/").status_code == 200
    again = SimpleUploadedFile("Slides Jens Jensen.pdf", simple_pdf("Slides, rettet"))
    response = _publish_with_material(client, past_meeting, again, material=first)
    assert response.status_code == 302
    replaced = MeetingMaterial.objects.get(meeting=past_meeting)
    assert replaced.pk == first.pk
    assert re.fullmatch(r"materials/[0-9a-f]{32}\.pdf", replaced.file.name)
    assert replaced.file.name != first.file.name
    assert replaced.file.read() == simple_pdf("Slides, rettet")

    # Saving without a new file keeps the current one.
    response = _publish_with_material(client, past_meeting, None, material=replaced)
    assert response.status_code == 302
    assert MeetingMaterial.objects.get(meeting=past_meeting).file.name == replaced.file.name
