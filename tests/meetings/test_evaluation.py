"""The evaluation after a meeting: who is asked and exactly once, the form behind the
e-mail's link (CSRF, bad input, used, expired and forged links), one answer per
attendee, anonymity, the results and the export staff read, and the summary published
on the meeting page."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string
from django_tasks.base import Task

from meetings import evaluation
from meetings.evaluation_models import EvaluationAnswer, EvaluationInvitation, EvaluationSummary
from meetings.evaluation_tasks import send_evaluation_invitations
from meetings.factories import RegistrationFactory, programme_item
from meetings.models import MeetingPage, Registration
from portal.factories import UserFactory
from portal.schedule import SCHEDULE
from tests.roles import make_person

from .conftest import cph

ENDED = cph(2030, 3, 10, 15)
AFTER = cph(2030, 3, 10, 16)
NEXT_DAY = cph(2030, 3, 11, 10)  # the meeting page counts the meeting as past
LINK = re.compile(r"http://[^/\s]+(/moeder/evaluering/[^/\s]+/)")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def past_meeting(make_meeting):
    """Ended 10 March 2030 15.00; two talks, a workshop and a lunch on the programme."""
    meeting = make_meeting(
        title="Martsmødet",
        start=cph(2030, 3, 10, 10),
        end=ENDED,
        programme=[
            programme_item("10.00", "10.45", "Boligsocial monitorering", "talk"),
            programme_item("10.45", "12.00", "Værksted om udsættelser", "workshop"),
            programme_item("12.00", "12.45", "Frokost", "meal"),
            programme_item("12.45", "13.30", "Erfaringer fra Odense", "talk"),
        ],
    )
    return MeetingPage.objects.get(pk=meeting.pk)


@pytest.fixture
def attendees(past_meeting, member_org, person_at):
    """Anna and Bent checked in, Carl confirmed but not checked in, Dorte waitlisted,
    Erik cancelled."""
    org = member_org(years=[2030])

    def reg(first, email, **kwargs):
        return RegistrationFactory(
            meeting=past_meeting,
            person=person_at(org, first_name=first, last_name="Jensen", email=email),
            organisation=org,
            **kwargs,
        )

    return {
        "anna": reg("Anna", "anna@x.dk", attended_at=cph(2030, 3, 10, 9, 50)),
        "bent": reg("Bent", "bent@x.dk", attended_at=cph(2030, 3, 10, 9, 55)),
        "carl": reg("Carl", "carl@x.dk"),
        "dorte": reg(
            "Dorte",
            "dorte@x.dk",
            status=Registration.Status.WAITLISTED,
            waitlist_reason=Registration.WaitlistReason.CAPACITY,
        ),
        "erik": reg("Erik", "erik@x.dk", status=Registration.Status.CANCELLED),
    }


def run(when, django_capture_on_commit_callbacks) -> int:
    with (
        time_machine.travel(when, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return send_evaluation_invitations.call()


def link_for(email_address: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [email_address]]
    return LINK.search(message.body).group(1)


@pytest.fixture
def invited(attendees, django_capture_on_commit_callbacks):
    run(AFTER, django_capture_on_commit_callbacks)
    return {name: link_for(f"{name}@x.dk") for name in ("anna", "bent")}


# --- Who is asked, exactly once ------------------------------------------------------------


def test_the_evaluation_run_is_scheduled_hourly():
    entry = next(e for e in SCHEDULE if e.task.endswith("send_evaluation_invitations"))
    assert entry.every == datetime.timedelta(hours=1)
    assert isinstance(import_string(entry.task), Task)


def test_checked_in_attendees_are_asked_once_after_the_meeting(
    past_meeting, attendees, django_capture_on_commit_callbacks
):
    # During the meeting nobody is asked.
    assert run(cph(2030, 3, 10, 14, 59), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []

    assert run(AFTER, django_capture_on_commit_callbacks) == 2
    # The next hourly runs (and one a day later) send nothing more.
    assert run(AFTER + datetime.timedelta(hours=1), django_capture_on_commit_callbacks) == 0
    assert run(AFTER + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == 0

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@x.dk", "bent@x.dk"]
    message = next(m for m in mail.outbox if m.to == ["anna@x.dk"])
    assert message.subject == "[Erfa-netværk] Hvordan var Martsmødet? Evaluér mødet"
    assert "Kære Anna Jensen" in message.body
    assert "Tak, fordi du deltog i Martsmødet den 10. marts 2030" in message.body
    assert "Dine svar er anonyme" in message.body
    assert "virker indtil 9. april 2030" in message.body
    assert LINK.search(message.body)
    assert EvaluationInvitation.objects.filter(meeting=past_meeting).count() == 2


def test_confirmed_participants_are_asked_when_nobody_was_checked_in(
    past_meeting, attendees, django_capture_on_commit_callbacks
):
    Registration.objects.update(attended_at=None)
    assert run(AFTER, django_capture_on_commit_callbacks) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@x.dk", "bent@x.dk", "carl@x.dk"]


def test_check_ins_recorded_after_the_first_run_ask_nobody_twice(
    past_meeting, attendees, django_capture_on_commit_callbacks
):
    Registration.objects.update(attended_at=None)
    assert run(AFTER, django_capture_on_commit_callbacks) == 3
    # The coordinator records the door list the next morning.
    Registration.objects.filter(pk=attendees["anna"].pk).update(attended_at=ENDED)
    assert run(AFTER + datetime.timedelta(hours=18), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 3


def test_cancelled_unpublished_and_long_past_meetings_are_not_asked(
    make_meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    org = member_org(years=[2030])
    cancelled = make_meeting(
        start=cph(2030, 3, 10, 10), end=ENDED, status=MeetingPage.Status.CANCELLED
    )
    draft = make_meeting(start=cph(2030, 3, 10, 10), end=ENDED)
    draft.unpublish()
    for meeting in (cancelled, draft):
        RegistrationFactory(meeting=meeting, person=person_at(org), organisation=org)
    old = make_meeting(start=cph(2030, 3, 1, 10), end=cph(2030, 3, 1, 15))
    RegistrationFactory(meeting=old, person=person_at(org), organisation=org)

    # Eight days after the old meeting ended (e.g. the feature was just deployed).
    assert run(cph(2030, 3, 10, 16), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_an_anonymised_registration_is_not_asked(
    past_meeting, attendees, django_capture_on_commit_callbacks
):
    Registration.objects.filter(pk=attendees["bent"].pk).update(person=None)
    assert run(AFTER, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["anna@x.dk"]]


def test_an_invitation_whose_email_finally_failed_is_sent_again(
    past_meeting, attendees, django_capture_on_commit_callbacks
):
    run(AFTER, django_capture_on_commit_callbacks)
    anna = EvaluationInvitation.objects.get(registration=attendees["anna"])
    evaluation_tasks = import_string("meetings.evaluation_tasks.give_back_invitation")
    evaluation_tasks.call(anna.pk)  # what the e-mail pipeline calls when it gives up
    mail.outbox.clear()
    assert run(AFTER + datetime.timedelta(hours=1), django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["anna@x.dk"]]


# --- The form ------------------------------------------------------------------------------


def test_the_form_asks_overall_each_talk_and_workshop_next_topics_and_comments(client, invited):
    response = client.get(invited["anna"])
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    page = text(response)
    assert "Hvordan gik mødet?" in page
    legends = re.findall(r"<legend[^>]*>(.*?)</legend>", page)
    assert [re.sub(r"<.*?>", "", legend).strip() for legend in legends] == [
        "Hvordan var mødet samlet set? (skal udfyldes)",
        "10.00: Boligsocial monitorering (Oplæg) (frivilligt)",
        "10.45: Værksted om udsættelser (Workshop) (frivilligt)",
        "12.45: Erfaringer fra Odense (Oplæg) (frivilligt)",
    ]
    assert page.count('type="radio"') == 4 * 5
    assert page.count("<fieldset") == 4
    assert "Hvad skal netværket tage op næste gang?" in page
    assert "5 (meget godt)" in page and "1 (meget dårligt)" in page
    assert "Frokost" not in page.split("<form")[1]


def test_an_answer_is_stored_once_without_a_link_to_the_person(client, invited, past_meeting):
    url = invited["anna"]
    response = client.submit(
        url,
        {
            "overall": "4",
            "item_0": "5",
            "item_2": "3",
            "next_topics": "Boligsocial helhedsplan og økonomi",
            "comment": "Godt møde, for kort frokost.",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Tak for din evaluering" in text(response)

    (answer,) = EvaluationAnswer.objects.all()
    assert answer.overall == 4
    assert [(r["title"], r["rating"]) for r in answer.item_ratings] == [
        ("Boligsocial monitorering", 5),
        ("Erfaringer fra Odense", 3),
    ]
    assert answer.next_topics == "Boligsocial helhedsplan og økonomi"
    # Anonymity: the answer table has no column that names a person, a registration, an
    # invitation or a time.
    columns = {f.column for f in EvaluationAnswer._meta.concrete_fields}
    assert columns == {"id", "meeting_id", "overall", "item_ratings", "next_topics", "comment"}
    assert isinstance(answer.pk, type(EvaluationAnswer._meta.pk.default()))
    # ... and the invitation records only that Anna answered.
    anna = EvaluationInvitation.objects.get(registration__person__email="anna@x.dk")
    bent = EvaluationInvitation.objects.get(registration__person__email="bent@x.dk")
    assert anna.answered and not bent.answered
    assert {f.column for f in EvaluationInvitation._meta.concrete_fields} == {
        "id",
        "meeting_id",
        "registration_id",
        "sent_at",
        "answered",
    }

    # The link cannot be used again: the page says thanks, a second post stores nothing.
    again = client.get(url)
    assert again.status_code == 200
    assert "Tak for din evaluering" in text(again)
    assert 'type="radio"' not in text(again)
    client.post_with_token(url, {"overall": "1"})
    assert EvaluationAnswer.objects.count() == 1
    assert EvaluationAnswer.objects.get().overall == 4


def test_one_answer_per_attendee_even_from_two_open_tabs(client, invited):
    url = invited["bent"]
    token = client.csrf_token(url)
    first = client.post(url, {"overall": "5", "csrfmiddlewaretoken": token})
    second = client.post(url, {"overall": "2", "csrfmiddlewaretoken": token})
    assert first.status_code == 302
    # The second tab gets the thanks, and its answer is not stored.
    assert second.status_code == 200
    assert "Tak for din evaluering" in text(second)
    assert list(EvaluationAnswer.objects.values_list("overall", flat=True)) == [5]
    # Two posts that both passed the view's check at once: the claim lets one through.
    assert (
        evaluation.submit_answer(
            invitation=EvaluationInvitation.objects.get(registration__person__email="bent@x.dk"),
            overall=3,
            item_ratings={},
        )
        is False
    )


def test_bad_input_shows_danish_errors_and_keeps_what_was_typed(client, invited):
    url = invited["anna"]
    response = client.submit(
        url, {"item_0": "7", "next_topics": "Klimatilpasning", "comment": "x" * 3001}
    )
    assert response.status_code == 200
    page = text(response)
    assert "<title>Fejl: " in page
    assert "Ret venligst følgende" in page  # the error summary, linking each answer
    assert 'href="#id_overall_0"' in page and 'href="#id_item_0_0"' in page
    # In the summary and at each question: overall missing, item 0 is 7.
    assert page.count("Vælg en vurdering fra 1 til 5.") == 4
    assert "Denne værdi må højst have 3000 tegn (den har 3001)." in page
    assert re.search(r"<textarea[^>]*name=\"next_topics\"[^>]*>\s*Klimatilpasning</textarea>", page)
    assert 'aria-describedby="id_overall_error"' in page
    assert EvaluationAnswer.objects.count() == 0
    assert not EvaluationInvitation.objects.filter(answered=True).exists()


def test_an_empty_post_is_told_what_is_missing(client, invited):
    response = client.submit(invited["anna"], {})
    assert response.status_code == 200
    assert "Vælg en vurdering fra 1 til 5." in text(response)
    assert EvaluationAnswer.objects.count() == 0


def test_a_post_without_the_csrf_token_is_refused(client, invited):
    response = client.post(invited["anna"], {"overall": "5"})
    assert response.status_code == 403
    assert EvaluationAnswer.objects.count() == 0


def test_forged_cut_off_and_expired_links_answer_in_words(client, invited):
    url = invited["anna"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    # Another invitation's id with Anna's signature, a cut-off link, a made-up one.
    for bad in (token[:-3] + "abc", token[: len(token) // 2], "MTIz:1abc:xyz", "x" * 500):
        response = client.get(f"/moeder/evaluering/{bad}/")
        assert response.status_code == 404, bad
        assert "Dette evalueringslink er ikke gyldigt" in text(response)
        assert (
            client.post_with_token(f"/moeder/evaluering/{bad}/", {"overall": "5"}).status_code
            == 404
        )

    # In UTC: 30 days of wall-clock time in Copenhagen across the change to summer
    # time are an hour short of 30 days.
    expired = AFTER.astimezone(datetime.UTC) + evaluation.LINK_VALID + datetime.timedelta(minutes=1)
    with time_machine.travel(expired):
        response = client.get(url)
        assert response.status_code == 410
        assert "Dette evalueringslink er udløbet" in text(response)
        posted = client.post_with_token(url, {"overall": "5"})
        assert posted.status_code == 410, text(posted)[-3000:]
    assert EvaluationAnswer.objects.count() == 0


def test_a_link_for_a_deleted_invitation_answers_404(client, invited):
    EvaluationInvitation.objects.all().delete()
    assert client.get(invited["anna"]).status_code == 404


# --- Results, export, permission ------------------------------------------------------------


def answer(url, client, overall, items=(), next_topics="", comment=""):
    data = {"overall": str(overall), "next_topics": next_topics, "comment": comment}
    for index, rating in items:
        data[f"item_{index}"] = str(rating)
    response = client.submit(url, data)
    assert response.status_code == 302, text(response)


@pytest.fixture
def three_answers(past_meeting, member_org, person_at, django_capture_on_commit_callbacks):
    org = member_org(years=[2030])
    for name in ("ida", "jens", "kim"):
        RegistrationFactory(
            meeting=past_meeting,
            person=person_at(org, first_name=name.title(), email=f"{name}@x.dk"),
            organisation=org,
            attended_at=cph(2030, 3, 10, 10),
        )
    RegistrationFactory(
        meeting=past_meeting,
        person=person_at(org, first_name="Lone", email="lone@x.dk"),
        organisation=org,
        attended_at=cph(2030, 3, 10, 10),
    )
    run(AFTER, django_capture_on_commit_callbacks)
    from tests.mfa import PortalTestClient

    answerer = PortalTestClient()
    answer(link_for("ida@x.dk"), answerer, 5, [(0, 5), (1, 4)], "Ungeindsats", "Rigtig godt")
    answer(link_for("jens@x.dk"), answerer, 4, [(0, 4)], "Boligsocial økonomi")
    answer(link_for("kim@x.dk"), answerer, 2, [(0, 3), (2, 1)], "", '=HYPERLINK("x")')
    return past_meeting


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True, verified=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_results_show_averages_distributions_and_texts(
    three_answers, editor, client, django_assert_max_num_queries
):
    result = evaluation.results(three_answers)
    assert (result.invited, result.answered, result.response_rate) == (4, 3, 75)
    assert result.overall.average == 3.7
    assert result.overall.counts == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert [(i.label, i.average, i.total) for i in result.items] == [
        ("Boligsocial monitorering", 4.0, 3),
        ("Værksted om udsættelser", 4.0, 1),
        ("Erfaringer fra Odense", 1.0, 1),
    ]
    assert sorted(result.next_topics) == ["Boligsocial økonomi", "Ungeindsats"]

    # The editor's own (random) name is in the admin's menu: give it one no attendee has.
    editor.first_name, editor.last_name = "Redaktør", "Testesen"
    editor.save(update_fields=["first_name", "last_name"])
    client.force_login(editor)
    url = f"/admin/meetings/evaluation/{three_answers.pk}/"
    client.get(url)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "3 af 4 adspurgte har svaret (75 %)" in page
    assert "Gennemsnit 3,7 (3 svar)" in page
    assert "Gennemsnit 4,0 (3 svar)" in page
    assert "Ungeindsats" in page and "Rigtig godt" in page
    assert "Erfaringer fra Odense" in page
    # The distribution of the overall rating: one 2, one 4, one 5 (33 % each).
    overall = page.split('id="q-overall"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\d)</th><td>(\d+)</td>', overall) == [
        ("1", "0"),
        ("2", "1"),
        ("3", "0"),
        ("4", "1"),
        ("5", "1"),
    ]
    # No name of anyone who was asked is on the page.
    for name in ("Ida", "Jens", "Kim", "Lone", "ida@x.dk"):
        assert name not in page


def test_the_export_has_one_row_per_answer_and_no_formula(three_answers, editor, client):
    client.force_login(editor)
    url = f"/admin/meetings/evaluation/{three_answers.pk}/eksport/"
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0] == [
        "Samlet vurdering",
        "Boligsocial monitorering",
        "Værksted om udsættelser",
        "Erfaringer fra Odense",
        "Hvad netværket skal tage op næste gang",
        "Kommentar",
    ]
    assert sorted(rows[1:]) == sorted(
        [
            ["5", "5", "4", "", "Ungeindsats", "Rigtig godt"],
            ["4", "4", "", "", "Boligsocial økonomi", ""],
            ["2", "3", "", "1", "", '\'=HYPERLINK("x")'],
        ]
    )

    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Samlet vurdering"
    assert sorted(row[0] for row in values[1:]) == [2, 4, 5]
    formula_cell = next(row[5] for row in sheet.iter_rows(min_row=2) if row[0].value == 2)
    assert formula_cell.data_type == "s"


@pytest.mark.parametrize("role", ["superuser", "editor", "moderator", "contact", "member"])
def test_who_may_read_the_evaluation(role, three_answers, network, client):
    person = make_person(role, network=network)
    client.force_login(person)
    allowed = role in ("superuser", "editor", "moderator")
    for url in (
        f"/admin/meetings/evaluation/{three_answers.pk}/",
        f"/admin/meetings/evaluation/{three_answers.pk}/eksport/?export=csv",
    ):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            # Members are sent away from the admin (or refused); never shown answers.
            assert response.status_code in (302, 403), url
            assert b"Ungeindsats" not in response.content


def test_anonymous_visitors_and_members_never_see_single_answers(three_answers, network, client):
    assert b"Ungeindsats" not in client.get(three_answers.url).content
    client.force_login(make_person("member", network=network))
    assert b"Ungeindsats" not in client.get(three_answers.url).content
    assert b"Rigtig godt" not in client.get(three_answers.url).content


# --- The summary on the meeting page -------------------------------------------------------


@pytest.fixture
def next_day():
    with time_machine.travel(NEXT_DAY):
        yield


def test_publishing_the_summary_shows_it_at_once_and_taking_it_down_hides_it(
    three_answers, next_day, editor, client, django_assert_max_num_queries
):
    from tests.mfa import PortalTestClient

    visitor = PortalTestClient()
    meeting = three_answers
    before = visitor.get(meeting.url)  # the page is built (and its chrome kept) first
    assert "Det sagde deltagerne" not in text(before)

    client.force_login(editor)
    results = f"/admin/meetings/evaluation/{meeting.pk}/"
    publish = f"/admin/meetings/evaluation/{meeting.pk}/offentliggoer/"
    response = client.submit(
        publish,
        {"text": "Deltagerne ønsker mere om økonomi.", "show_figures": "on"},
        page=results,
        follow=True,
    )
    assert "Opsummeringen er offentliggjort på mødesiden." in text(response)
    summary = EvaluationSummary.objects.get(meeting=meeting)
    assert summary.published_by == editor
    assert summary.figures["answers"] == 3

    # The page's kept parts (tree cache) were made obsolete: the next visitor sees it.
    page = text(visitor.get(meeting.url))
    assert "Det sagde deltagerne" in page
    assert "Deltagerne ønsker mere om økonomi." in page
    assert "Samlet vurdering 3,7 ud af 5 (3 svar)." in page
    assert "Boligsocial monitorering: 4,0 ud af 5" in page
    # Items rated by fewer than three are left out: one person's rating would show.
    assert "Værksted om udsættelser:" not in page and "Erfaringer fra Odense:" not in page
    # What members see is the editor's text and averages, never an answer.
    assert "Ungeindsats" not in page and "Rigtig godt" not in page
    # Kept again: a warm page does not ask for the summary.
    with CaptureQueriesContext(connection) as queries:
        assert "Det sagde deltagerne" in text(visitor.get(meeting.url))
    assert "evaluationsummary" not in " ".join(q["sql"] for q in queries).lower()

    # A later answer does not change what was published until the editor publishes again.
    lone = link_for("lone@x.dk")
    answer(lone, PortalTestClient(), 1)
    assert "Samlet vurdering 3,7 ud af 5 (3 svar)." in text(visitor.get(meeting.url))

    response = client.submit(
        f"/admin/meetings/evaluation/{meeting.pk}/skjul/", {}, page=results, follow=True
    )
    assert "Opsummeringen vises ikke længere på mødesiden." in text(response)
    assert "Det sagde deltagerne" not in text(visitor.get(meeting.url))

    from wagtail.models import PageLogEntry

    actions = list(
        PageLogEntry.objects.filter(page=meeting).order_by("pk").values_list("action", flat=True)
    )
    assert actions[-2:] == [
        "meetings.evaluation.summary_published",
        "meetings.evaluation.summary_unpublished",
    ]


def test_averages_need_three_answers_and_an_empty_summary_is_refused(
    past_meeting, invited, next_day, editor, client
):
    answer(invited["anna"], client, 5)
    client.force_login(editor)
    results = f"/admin/meetings/evaluation/{past_meeting.pk}/"
    publish = f"/admin/meetings/evaluation/{past_meeting.pk}/offentliggoer/"
    page = text(client.get(results))
    assert "når mindst 3 har svaret" in page
    assert 'name="show_figures"' not in page

    response = client.submit(publish, {"text": "  "}, page=results)
    assert response.status_code == 200
    assert "Skriv en opsummering eller vælg at vise gennemsnittene" in text(response)
    assert not EvaluationSummary.objects.filter(published_at__isnull=False).exists()

    client.submit(publish, {"text": "Et godt møde.", "show_figures": "on"}, page=results)
    summary = EvaluationSummary.objects.get()
    assert summary.is_published and not summary.show_figures and summary.figures == {}
    page = text(client.get(past_meeting.url))
    assert "Et godt møde." in page and "ud af 5" not in page


def test_the_warm_meeting_page_costs_no_query_for_the_summary(
    client, three_answers, next_day, django_assert_num_queries
):
    """The summary is part of the page's kept tail: an anonymous visitor's warm page
    costs what it did before (the routing, the seats left)."""
    evaluation.publish_summary(
        meeting=three_answers, text="Et godt møde.", show_figures=True, by=None
    )
    assert "Et godt møde." in text(client.get(three_answers.url))
    with django_assert_num_queries(3):
        assert "Et godt møde." in text(client.get(three_answers.url))


def test_the_evaluations_list_in_the_admin(three_answers, editor, client):
    client.force_login(editor)
    page = text(client.get("/admin/meetings/evaluation/"))
    assert "Martsmødet" in page and "3 af 4" in page
    assert f'href="/admin/meetings/evaluation/{three_answers.pk}/"' in page
    assert "Evalueringer" in text(client.get("/admin/"))


def test_the_admin_screens_ask_as_many_queries_for_many_meetings_and_answers(
    make_meeting, member_org, person_at, editor, client
):
    """The list and a meeting's results cost the same number of queries with 2 meetings
    and 3 answers as with 12 meetings and 60 answers."""
    org = member_org(years=[2030])

    def add(meetings: int, answers: int) -> MeetingPage:
        meeting = None
        for _ in range(meetings):
            meeting = make_meeting(start=cph(2030, 3, 10, 10), end=ENDED)
            registration = RegistrationFactory(
                meeting=meeting, person=person_at(org), organisation=org
            )
            EvaluationInvitation.objects.create(
                meeting=meeting, registration=registration, sent_at=AFTER, answered=True
            )
        items = evaluation.rated_items(MeetingPage.objects.get(pk=meeting.pk))
        for index in range(answers):
            EvaluationAnswer.objects.create(
                meeting=meeting,
                overall=1 + index % 5,
                item_ratings=[{"id": i.id, "title": i.title, "rating": 4} for i in items],
                next_topics=f"Emne {index}",
                comment=f"Kommentar {index}",
            )
        return meeting

    def count(url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(editor)
    small = add(2, 3)
    small_counts = (
        count("/admin/meetings/evaluation/"),
        count(f"/admin/meetings/evaluation/{small.pk}/"),
    )
    large = add(10, 60)
    large_counts = (
        count("/admin/meetings/evaluation/"),
        count(f"/admin/meetings/evaluation/{large.pk}/"),
    )
    assert small_counts == large_counts
    assert max(large_counts) <= 25


def test_the_demo_has_an_evaluated_meeting_with_a_published_summary(db, client):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    december = MeetingPage.objects.get(title="3. netværksmøde 2021")
    result = evaluation.results(december)
    assert (result.invited, result.answered) == (6, 5)
    assert result.overall.average == 4.2
    assert EvaluationAnswer.objects.count() == 5
    page = text(client.get(december.url))
    assert "Det sagde deltagerne" in page
    assert "Samlet vurdering 4,2 ud af 5 (5 svar)." in page


def test_the_persons_data_export_says_they_were_asked_and_answered_but_not_what(
    client, invited, attendees
):
    from portal import gdpr

    answer(invited["anna"], client, 2, comment="For lang dag.")
    anna = gdpr.collect(attendees["anna"].person)
    (registration,) = anna["registrations"]
    assert registration["evaluation_answered"] is True
    assert registration["evaluation_asked_at"].startswith("2030-03-10T16:00")
    assert "For lang dag." not in str(anna)
    (carl,) = gdpr.collect(attendees["carl"].person)["registrations"]
    assert carl["evaluation_asked_at"] is None and carl["evaluation_answered"] is None


def test_the_meeting_edit_page_links_to_the_evaluation_after_the_meeting(
    past_meeting, make_meeting, next_day, editor, client
):
    """In the registration summary at the top of the editor (the header's "more" menu
    has the page explorer's "Evaluering" for every meeting)."""
    client.force_login(editor)
    summary_link = (
        'class="button button-small button-secondary" href="/admin/meetings/evaluation/{}/"'
    )
    page = text(client.get(f"/admin/pages/{past_meeting.pk}/edit/"))
    assert summary_link.format(past_meeting.pk) + ">Evaluering</a>" in page
    meeting = make_meeting(start=cph(2030, 4, 1, 10), end=cph(2030, 4, 1, 15))
    upcoming = text(client.get(f"/admin/pages/{meeting.pk}/edit/"))
    assert "meetings-summary" in upcoming
    assert summary_link.format(meeting.pk) not in upcoming
