"""Views for the call/questionnaire, the library, the overview, downloads and "Min side".

Page routes (see `models/pages.py`) call into these. Every agreement a view shows or
serves comes from `Agreement.objects.visible_to(request.user)`; a viewer who may not
read an agreement gets a 404, so its existence is not revealed either.
"""

import csv
import datetime
import decimal
import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from network.models import Organisation
from portal import private_files
from portal.forms_rendering import SummaryItem, first_input_id
from portal.forms_rendering import _summary_text as summary_text
from portal.private_files import PRIVATE_CACHE
from portal.search import clean_query

from . import fragments, services
from . import overview as overview_module
from .access import can_review_agreements, is_network_member
from .forms import (
    LAST_STEP,
    NEEDED_WHEN,
    STEPS,
    ConsentForm,
    LibraryFilterForm,
    QuestionnaireForm,
    step_numbered,
)
from .models import Agreement, AgreementConsent, AgreementLibraryPage, ResourceDocument


def _private(response):
    # Responses that depend on who is asking never enter a shared cache.
    response["Cache-Control"] = PRIVATE_CACHE
    return response


def _per_visitor(request, response):
    """A page that differs between signed-in people, but is the same for every
    anonymous visitor: private for the signed-in; an anonymous visitor's copy may be
    kept by nginx for the others (portal.middleware.PublicPageCacheMiddleware decides:
    anonymous, no session, no cookie set, no form token)."""
    return _private(response) if request.user.is_authenticated else response


# --- The call and the questionnaire ------------------------------------------------------


def call_page(request, call):
    drafts = []
    if request.user.is_authenticated:
        drafts = list(
            Agreement.objects.filter(
                call=call, submitted_by=request.user, status=Agreement.Status.DRAFT
            ).select_related("municipality")
        )
        for draft in drafts:
            draft.resume_url = call.questionnaire_url(draft)
    context = call.get_context(request)
    context.update(
        {
            "is_open": call.is_open(),
            "drafts": drafts,
            "start_url": call.questionnaire_url(),
            **services.district_consultants_for(request),
        }
    )
    return _per_visitor(request, TemplateResponse(request, call.get_template(request), context))


@never_cache
def questionnaire(request, call, *, answer_pk):
    """The questionnaire in steps (`?trin=1..4`, see `forms.STEPS`). "Next", "Back" and
    "Save draft" save the step's answers on the author's draft; "Next" also needs the
    step's own answers. The last step shows everything and sends it, checking it all; an
    error in an earlier step links to that step's field (`?trin=N&tjek=1#id_...`), which
    shows the error there too. A checked file survives a step with errors: it is kept
    on the draft (`services.keep_document`)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    answer = None
    if answer_pk is not None:
        answer = get_object_or_404(
            Agreement.objects.select_related(
                "submitting_organisation", "municipality", "submitted_by"
            ).prefetch_related("topics", "housing_organisations"),
            pk=answer_pk,
            call=call,
            submitted_by=request.user,
        )
        if not answer.is_draft:
            messages.info(request, _("This answer has been submitted already."))
            return redirect("my_page")
    context = {
        "page": call,
        "self": call,
        "answer": answer,
        "is_open": call.is_open(),
        "organisations": services.answerable_organisations(request.user),
    }
    if not context["is_open"]:
        return TemplateResponse(request, "library/questionnaire.html", context)
    if not context["organisations"].exists():
        return TemplateResponse(request, "library/questionnaire.html", context)

    stored = services.answer_arguments(answer) if answer else None
    initial = QuestionnaireForm.initial_from(answer) if answer else None
    state = stored["state"] if stored else ""
    send_errors = {}
    if request.method == "POST":
        step = step_numbered(request.POST.get("trin")) or STEPS[0]
        navigate = request.POST.get("navigate", "save")
        if step == LAST_STEP:
            if navigate == "back":
                return redirect(_step_url(call, answer, STEPS[-2]))
            if answer is None:
                return redirect(_step_url(call, None, STEPS[0]))
            try:
                services.save_answer(
                    call=call, person=request.user, submit=True, answer=answer, **stored
                )
            except ValidationError as error:
                send_errors = _errors_by_field(error)
            else:
                return redirect(call.get_url() + call.reverse_subpage("thanks", args=[answer.pk]))
            form = None
        else:
            going_on = navigate == "next"
            form = QuestionnaireForm(
                request.POST,
                request.FILES,
                person=request.user,
                step=step,
                state=state,
                initial=initial,
            )
            if form.is_valid():
                try:
                    saved = services.save_answer(
                        call=call,
                        person=request.user,
                        submit=False,
                        answer=answer,
                        complete=step.fields if going_on else (),
                        **form.service_arguments(stored),
                    )
                except ValidationError as error:
                    form.apply_service_error(error)
                else:
                    if navigate == "next":
                        target = STEPS[step.number]
                    elif navigate == "back":
                        target = STEPS[max(step.number - 2, 0)]
                    else:
                        target = step
                        messages.success(
                            request,
                            _("Your draft has been saved. You can come back to it from “My page”."),
                        )
                    return redirect(_step_url(call, saved, target))
            upload = form.new_upload()
            if upload is not None:
                # The rest of the step has errors: keep the checked file on the draft.
                answer = services.keep_document(
                    call=call, person=request.user, answer=answer, document=upload
                )
                context["answer"] = answer
                form.files = type(request.FILES)()
                form.initial = {**form.initial, "document": answer.document}
                form._bound_fields_cache.pop("document", None)
    else:
        step = step_numbered(request.GET.get("trin"))
        if step is None:
            done = _done_steps(call, request.user, answer)
            step = next((step for step in STEPS if step.number not in done), LAST_STEP)
        form = None
        if step != LAST_STEP:
            form = QuestionnaireForm(person=request.user, step=step, state=state, initial=initial)
            if answer is not None and request.GET.get("tjek"):
                # Sent from the last step's error summary: show this step's errors.
                errors = services.missing_answers(
                    call=call, person=request.user, answer=answer, fields=step.fields
                )
                form.cleaned_data = {}
                for name, messages_ in errors.items():
                    if name in form.fields:
                        form.add_error(name, messages_)
                context["summary_items"] = _field_summary(form)
    context.update(
        {
            "form": form,
            "step": step,
            "steps": _step_indicator(
                call,
                context["answer"],
                step,
                send_errors,
                _done_steps(call, request.user, context["answer"]),
            ),
            "action_url": _step_url(call, context["answer"], step).split("?")[0],
            "needed_when": json.dumps({name: list(states) for name, states in NEEDED_WHEN.items()}),
        }
    )
    if step == LAST_STEP:
        context["summary"] = _answer_summary(request.user, context["answer"])
        context["summary_items"] = _send_summary(call, context["answer"], send_errors)
    return TemplateResponse(request, "library/questionnaire.html", context)


def _step_url(call, answer, step) -> str:
    return f"{call.questionnaire_url(answer)}?trin={step.number}"


def _errors_by_field(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def _done_steps(call, person, answer) -> set[int]:
    if answer is None:
        return set()
    errors = services.missing_answers(
        call=call, person=person, answer=answer, fields=[f for s in STEPS for f in s.fields]
    )
    return {step.number for step in STEPS[:-1] if not any(field in errors for field in step.fields)}


def _step_indicator(call, answer, current, send_errors, done) -> list[dict]:
    """DKFDS's step indicator: done steps, the current one and the first step not done
    yet are links; later ones are not, until the steps before them are done."""
    first_open = next((step for step in STEPS if step.number not in done), LAST_STEP)
    steps = []
    for step in STEPS:
        in_error = any(field in send_errors for field in step.fields)
        reachable = (
            step == current or in_error or step.number in done or step.number <= first_open.number
        )
        steps.append(
            {
                "number": step.number,
                "title": step.title,
                "current": step == current,
                "done": step.number in done and not in_error,
                "error": in_error,
                "url": _step_url(call, answer, step)
                if reachable and (answer or step == current)
                else "",
            }
        )
    return steps


def _send_summary(call, answer, errors: dict) -> list[SummaryItem]:
    """The last step's error summary: each error links to its field on its step, which
    shows the step's errors (`tjek=1`)."""
    form = QuestionnaireForm(person=answer.submitted_by) if answer else None
    items = [SummaryItem(str(message)) for message in errors.get(NON_FIELD_ERRORS, [])]
    for step in STEPS:
        for name in step.fields:
            if not errors.get(name) or form is None or name not in form.fields:
                continue
            field = form[name]
            text = _("Step %(number)s, %(error)s") % {
                "number": step.number,
                "error": summary_text(str(field.label), " ".join(errors[name])),
            }
            url = f"{_step_url(call, answer, step)}&tjek=1#{first_input_id(field)}"
            items.append(SummaryItem(text, url))
    return items


def _field_summary(form) -> list[SummaryItem]:
    """The summary of errors put on an unbound step (opened from the last step's
    summary), which `{% error_summary %}` leaves out (it lists sent forms)."""
    return [
        SummaryItem(
            summary_text(str(field.label), " ".join(field.errors)), f"#{first_input_id(field)}"
        )
        for field in form
        if field.errors
    ]


def _answer_summary(person, answer) -> list[dict]:
    """What the last step shows: each step's questions and the draft's answers."""
    if answer is None:
        return []
    form = QuestionnaireForm(person=person)
    stored = services.answer_arguments(answer)
    rows_by_step = []
    for step in STEPS[:-1]:
        rows = []
        for name in step.fields:
            if name not in form.fields:
                continue
            rows.append({"label": form.fields[name].label, "value": _shown(answer, name, stored)})
        rows_by_step.append({"step": step, "rows": rows})
    return rows_by_step


def _shown(answer, name: str, stored: dict) -> str:
    value = stored.get(name)
    if name == "document":
        if not answer.document:
            return ""
        return f"{answer.document_name} ({filesizeformat(answer.document_size or 0)})"
    if name == "state":
        return answer.get_state_display() if value else ""
    if name == "consent":
        return dict(Agreement.Consent.choices).get(value, "") if value else ""
    if name == "parties_agree":
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal):
        return number_format(value)
    return str(value)


def questionnaire_thanks(request, call, *, answer_pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    answer = get_object_or_404(Agreement, pk=answer_pk, call=call, submitted_by=request.user)
    return _private(
        TemplateResponse(
            request,
            "library/questionnaire_thanks.html",
            {"page": call, "self": call, "answer": answer},
        )
    )


@require_http_methods(["GET", "POST"])
def withdraw_consent(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agreement = get_object_or_404(Agreement.objects.of_person(request.user), pk=pk)
    if not services.can_withdraw(agreement=agreement, person=request.user):
        raise Http404
    if request.method == "POST":
        services.withdraw_consent(agreement=agreement, person=request.user)
        messages.success(
            request,
            _("Your consent has been withdrawn. The agreement is no longer shown anywhere."),
        )
        return redirect("my_page")
    return _private(
        TemplateResponse(request, "library/withdraw_confirm.html", {"agreement": agreement})
    )


# Min side's two lists of agreements: (page parameter, page size); newest first.
MY_ANSWERS = ("svar", 10)
MY_CONSENT_TASKS = ("samtykke", 10)


def my_page_section(request) -> str | None:
    """The "Min side" section: the person's answers, drafts and consent, and the
    agreements their municipality is asked to consent to (as its contact person), each
    list a page at a time. Kept for the person (`fragments`: obsolete when an agreement,
    a consent, an organisation or an affiliation changes, or a page); it holds no form."""
    person = request.user
    html = fragments.body(
        request, "my-page", f"person:{person.pk}", lambda: _my_page_section(request) or ""
    )
    return html or None


def _my_page_section(request) -> str | None:
    person = request.user
    answers = Paginator(
        Agreement.objects.of_person(person)
        .select_related("call", "municipality", "submitting_organisation")
        .prefetch_related("housing_organisations", "party_consents")
        .order_by("-created_at", "-pk"),
        MY_ANSWERS[1],
    ).get_page(request.GET.get(MY_ANSWERS[0]))
    asked = Paginator(services.consent_task_agreements(person), MY_CONSENT_TASKS[1]).get_page(
        request.GET.get(MY_CONSENT_TASKS[0])
    )
    if not answers.object_list and not asked.object_list:
        return None
    own = set(Organisation.objects.verified_for(person).values_list("pk", flat=True))
    for answer in answers.object_list:
        answer.may_withdraw = services.can_withdraw(
            agreement=answer, person=person, organisation_ids=own
        )
        answer.resume_url = (
            answer.call.questionnaire_url(answer)
            if answer.is_draft and answer.call and answer.submitted_by_id == person.pk
            else ""
        )
        answer.consent_rows = [] if answer.is_draft else answer.consent_overview()
        answer.consent_links = [
            (row["organisation"], _consent_url(answer, row["organisation"], person))
            for row in answer.consent_rows
            if not row["is_municipality"]
            and row["organisation"] is not None
            and answer.can_be_withdrawn()
        ]
    for agreement in asked.object_list:
        municipality = agreement.municipality
        agreement.consent_rows = agreement.consent_overview()
        agreement.municipality_consent = next(
            (c for c in agreement.party_consents.all() if c.organisation_id == municipality.pk),
            None,
        )
        agreement.consent_url = _consent_url(agreement, municipality, person)
    return render_to_string(
        "library/my_page_section.html",
        {
            "answers": answers,
            "municipality_asks": asked,
            "answers_param": MY_ANSWERS[0],
            "asks_param": MY_CONSENT_TASKS[0],
        },
        request=request,
    )


def _consent_url(agreement, organisation, person) -> str:
    return services.consent_path(agreement=agreement, organisation=organisation, person=person)


# --- A party's consent: the signed link -------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def party_consent(request, token):
    """Where a party agrees at a level, narrows, or declines. The signed link is the
    authorisation (no login needed): it names the person, the party and the agreement,
    and expires (`services.consent_link_max_age`). It shows what is agreed to: title,
    parties, summary, and the document only to whoever may read it already."""
    try:
        agreement, organisation, person = services.read_consent_token(token)
    except services.ConsentLinkError as error:
        status = {"expired": 410, "invalid": 404, "not_party": 403}[error.reason]
        response = TemplateResponse(
            request, "library/consent_link_problem.html", {"reason": error.reason}, status=status
        )
        return _no_referrer(_private(response))
    choices = services.consent_choices(agreement, organisation)
    if request.method == "POST":
        form = ConsentForm(request.POST, choices=choices)
        if form.is_valid():
            via = (
                AgreementConsent.Via.MY_PAGE
                if request.user.is_authenticated and request.user.pk == person.pk
                else AgreementConsent.Via.SIGNED_LINK
            )
            try:
                services.give_consent(
                    agreement=agreement,
                    organisation=organisation,
                    person=person,
                    level=form.cleaned_data["level"],
                    via=via,
                )
            except ValidationError as error:
                form.add_error("level", error.message_dict.get("level", error.messages))
            except PermissionDenied:
                return _no_referrer(
                    _private(
                        TemplateResponse(
                            request,
                            "library/consent_link_problem.html",
                            {"reason": "not_party"},
                            status=403,
                        )
                    )
                )
            else:
                messages.success(request, _("Thank you: your answer has been registered."))
                return redirect(request.path)
    else:
        form = ConsentForm(choices=choices)
    agreement = (
        Agreement.objects.select_related("municipality", "submitting_organisation")
        .prefetch_related("housing_organisations", "party_consents")
        .get(pk=agreement.pk)
    )
    current = next(
        (c for c in agreement.party_consents.all() if c.organisation_id == organisation.pk), None
    )
    may_download = (
        agreement.has_document
        and Agreement.objects.visible_to(request.user).filter(pk=agreement.pk).exists()
    )
    context = {
        "agreement": agreement,
        "organisation": organisation,
        "person": person,
        "form": form,
        "current": current,
        "consent_rows": agreement.consent_overview(),
        "download_url": reverse("library:agreement_document", args=[agreement.pk])
        if may_download
        else "",
    }
    return _no_referrer(_private(TemplateResponse(request, "library/party_consent.html", context)))


def _no_referrer(response):
    # The link's token must not leak to other sites through the Referer header
    # ("no-referrer" would make browsers send "Origin: null", which fails the CSRF check).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _consent_shown_to(request):
    """Staff and the agreement's parties see who has and has not consented."""
    if can_review_agreements(request.user):
        return lambda agreement: True
    if not request.user.is_authenticated:
        return lambda agreement: False
    own = set(Organisation.objects.verified_for(request.user).values_list("pk", flat=True))
    return lambda agreement: (
        agreement.submitted_by_id == request.user.pk or bool(own & set(agreement.party_ids()))
    )


# --- The library ------------------------------------------------------------------------


ORDERINGS = {
    "newest": [F("submitted_at").desc(nulls_last=True), "-pk"],
    "signed": [F("signed_on").desc(nulls_last=True), "-pk"],
    "municipality": ["municipality__name", "-pk"],
}


def filtered_agreements(request, form: LibraryFilterForm):
    """The visible agreements after the library's filters, and the search query."""
    form.is_valid()  # invalid filters are dropped, never an error page
    data = getattr(form, "cleaned_data", {})
    agreements = Agreement.objects.visible_to(request.user).listed()
    if data.get("municipality"):
        agreements = agreements.filter(municipality=data["municipality"])
    if data.get("region"):
        agreements = agreements.filter(municipality__region=data["region"])
    # The many-to-many filters as subqueries, not joins: no duplicate rows, so the listing
    # needs no DISTINCT over every column to count and sort.
    if data.get("housing_organisation"):
        parties = Agreement.housing_organisations.through.objects.filter(
            organisation=data["housing_organisation"]
        )
        agreements = agreements.filter(pk__in=parties.values("agreement_id"))
    if data.get("topic"):
        tagged = Agreement.topics.through.objects.filter(topic=data["topic"])
        agreements = agreements.filter(pk__in=tagged.values("agreement_id"))
    if data.get("year"):
        agreements = agreements.filter(signed_on__year=data["year"])
    return agreements, clean_query(data.get("q") or ""), data.get("sort") or ""


def search_agreements(agreements, query: str, *, sort: str = "relevance"):
    """`agreements` (visible and filtered) that match `query`, evaluated in the database:
    the search backend gets `pk IN (subquery of agreements)`, so visibility and filters
    stay SQL (a stale search index can never widen them) and nothing loads every row.
    Best match first, or in one of the library's `ORDERINGS`. "København" should find
    "Københavns Kommune": with no match, fall back to word prefixes (autocomplete)."""
    base = Agreement.objects.filter(pk__in=agreements.order_by().values("pk"))
    results = base.search(query)
    if not results.count():  # the count is kept: the paginator asks for it again
        results = base.autocomplete(query)
    if sort == "relevance":
        return results
    # Another order: the matches as a subquery of the search backend's own queryset.
    return Agreement.objects.filter(pk__in=results.get_queryset().values("pk")).order_by(
        *ORDERINGS[sort]
    )


def visitor_class(request, *, person: bool = False) -> str:
    """What the visibility rules let this visitor see, as part of a kept body's key
    (`fragments`): anonymous, signed in, network member or reviewer. With `person`, for
    a body that also shows a signed-in person the consent of the agreements they are a
    party to: that person (whose organisations' affiliations renew the library's version
    when they change, `fragments.connect_signals`)."""
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    if can_review_agreements(user):
        return "reviewer"
    access = "member" if is_network_member(user) else "signed-in"
    if person:
        access += f":{user.pk}"
    return access


def _with_body(request, page, name: str, access: str, build) -> TemplateResponse:
    """The page with its body kept in the shared cache (`fragments`); `build(context)`
    adds what the body shows to the page's context and names the body's template."""
    context = page.get_context(request)

    def render() -> str:
        template = build(context)
        return render_to_string(template, context, request=request)

    context["body"] = mark_safe(fragments.body(request, name, access, render))  # noqa: S308 (our own rendered template)
    return _per_visitor(request, TemplateResponse(request, page.get_template(request), context))


def library_listing(request, page):
    return _with_body(
        request,
        page,
        "library",
        visitor_class(request, person=True),
        lambda context: _library_body(request, page, context),
    )


def _library_body(request, page, context) -> str:
    visible = Agreement.objects.visible_to(request.user).listed()
    housing_organisations = (
        Organisation.objects.filter(agreements__in=visible.values("pk")).distinct().order_by("name")
    )
    form = LibraryFilterForm(request.GET, housing_organisations=housing_organisations)
    agreements, query, sort = filtered_agreements(request, form)
    if sort not in ORDERINGS and not (sort == "relevance" and query):
        sort = "relevance" if query else "newest"

    if query:
        results = search_agreements(agreements, query, sort=sort)
        page_obj = Paginator(results, page.per_page).get_page(request.GET.get("page"))
        # The page's matches, then their rows with what the listing shows, in that order.
        ids = [agreement.pk for agreement in page_obj.object_list]
        by_id = Agreement.objects.for_listing().in_bulk(ids)
        page_obj.object_list = [by_id[pk] for pk in ids if pk in by_id]
    else:
        results = agreements.order_by(*ORDERINGS[sort]).for_listing()
        page_obj = Paginator(results, page.per_page).get_page(request.GET.get("page"))
        page_obj.object_list = list(page_obj.object_list)

    # Show the sort order actually used (best match only when searching).
    form.data = form.data.copy()
    form.data["sort"] = sort
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context.update(
        {
            "form": form,
            "query": query,
            "page_obj": page_obj,
            "filter_querystring": querystring.urlencode(),
            "is_member": is_network_member(request.user),
            "base_url": page.get_url(request),
            "login_url": f"{reverse('account_login')}?next={page.get_url(request)}",
        }
    )
    shows_consent = _consent_shown_to(request)
    if request.user.is_authenticated:
        # For the whole page (a signed-in viewer may be a party to any of them), so the
        # query count does not depend on whose agreements happen to be on the page.
        prefetch_related_objects(page_obj.object_list, "party_consents")
    for agreement in page_obj.object_list:
        agreement.detail_url = page.agreement_url(agreement)
        agreement.consent_rows = agreement.consent_overview() if shows_consent(agreement) else None
    return "library/includes/library_body.html"


def agreement_detail(request, page, pk):
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "municipality", "submitting_organisation", "call"
        ),
        pk=pk,
    )
    prefetch_related_objects([agreement], "housing_organisations", "topics", "party_consents")
    context = page.get_context(request)
    context.update(
        {
            "agreement": agreement,
            "consent_rows": agreement.consent_overview()
            if _consent_shown_to(request)(agreement)
            else None,
            "download_url": reverse("library:agreement_document", args=[agreement.pk])
            if agreement.has_document
            else "",
        }
    )
    return _per_visitor(
        request, TemplateResponse(request, "library/agreement_detail.html", context)
    )


@require_GET
def download_agreement(request, pk):
    """The agreement's document, to whoever may read the agreement (the field's rule)."""
    agreement = get_object_or_404(Agreement, pk=pk)
    return private_files.serve(request, agreement, "document")


@require_GET
def download_resource_document(request, pk):
    document = get_object_or_404(ResourceDocument.objects.select_related("page"), pk=pk)
    return private_files.serve(request, document, "file")


def resource_page_denied(request, page):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = TemplateResponse(
        request, "library/resource_members_only.html", {"page": page, "self": page}, status=403
    )
    return _private(response)


# --- The national overview --------------------------------------------------------------


def overview_page(request, page):
    """The figures, then per municipality how many agreements the visitor may read, with
    a link to them in the library (filtered, a page at a time): a summary of at most one
    row per municipality, however many agreements there are."""
    return _with_body(
        request,
        page,
        "overview",
        visitor_class(request),
        lambda context: _overview_body(request, context),
    )


def _overview_body(request, context) -> str:
    data = overview_module.build_overview()
    library = AgreementLibraryPage.objects.live().first()
    library_url = library.get_url(request) if library else ""
    detail = list(
        Agreement.objects.visible_to(request.user)
        .listed()
        .filter(municipality__isnull=False)
        .order_by()
        .values("municipality_id", "municipality__name")
        .annotate(
            agreements=Count("pk"),
            signed=Count("pk", filter=Q(state=Agreement.State.SIGNED)),
        )
        .order_by("municipality__name")
    )
    for row in detail:
        row["url"] = f"{library_url}?municipality={row['municipality_id']}" if library else ""
    context.update(
        {
            "overview": data,
            "municipality_detail": detail,
            "is_member": is_network_member(request.user),
        }
    )
    return "library/includes/overview_body.html"


def overview_csv(request, page):
    data = overview_module.build_overview()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="landsoverblik-aftaler.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Danish letters right
    writer = csv.writer(response, delimiter=";")
    writer.writerows(overview_module.csv_rows(data))
    return response


SEARCH_SECTION_SIZE = 5  # agreements shown in the site search; the rest in the library


def search_section(request, query: str) -> str | None:
    """Agreements in the site search, through the same visibility rule."""
    query = clean_query(query)
    library = AgreementLibraryPage.objects.live().first()
    if not query or library is None:
        return None
    matches = search_agreements(Agreement.objects.visible_to(request.user).listed(), query)
    count = matches.count()
    if not count:
        return None
    shown = [agreement.pk for agreement in matches[:SEARCH_SECTION_SIZE]]
    by_id = Agreement.objects.select_related("municipality").in_bulk(shown)
    results = [by_id[pk] for pk in shown if pk in by_id]
    for agreement in results:
        agreement.detail_url = library.agreement_url(agreement)
    return render_to_string(
        "library/search_section.html",
        {
            "results": results,
            "count": count,
            "library_url": library.get_url(request),
            "query": query,
        },
        request=request,
    )
