"""Views for the call/questionnaire, the library, the overview, downloads and "Min side".

Page routes (see `models/pages.py`) call into these. Every agreement a view shows or
serves comes from `Agreement.objects.visible_to(request.user)`; a viewer who may not
read an agreement gets a 404, so its existence is not revealed either.
"""

import csv
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from network.models import Organisation
from network.services import verified_organisations
from portal import private_files
from portal.private_files import PRIVATE_CACHE
from portal.search import clean_query

from . import overview as overview_module
from . import services
from .access import can_review_agreements, is_network_member
from .forms import ConsentForm, LibraryFilterForm, QuestionnaireForm
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
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    answer = None
    if answer_pk is not None:
        answer = get_object_or_404(Agreement, pk=answer_pk, call=call, submitted_by=request.user)
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

    if request.method == "POST":
        submit = "submit" in request.POST
        form = QuestionnaireForm(
            request.POST,
            request.FILES,
            person=request.user,
            draft=not submit,
            initial=QuestionnaireForm.initial_from(answer) if answer else None,
        )
        if form.is_valid():
            try:
                saved = services.save_answer(
                    call=call,
                    person=request.user,
                    submit=submit,
                    answer=answer,
                    **form.service_arguments(),
                )
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                if submit:
                    return redirect(
                        call.get_url() + call.reverse_subpage("thanks", args=[saved.pk])
                    )
                messages.success(
                    request,
                    _("Your draft has been saved. You can come back to it from “My page”."),
                )
                return redirect(call.questionnaire_url(saved))
    else:
        form = QuestionnaireForm(
            person=request.user,
            initial=QuestionnaireForm.initial_from(answer) if answer else None,
        )
    context["form"] = form
    return TemplateResponse(request, "library/questionnaire.html", context)


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


def my_page_section(request) -> str | None:
    """The "Min side" section: the person's answers, drafts and consent, and the
    agreements their municipality is asked to consent to (as its contact person)."""
    answers = list(
        Agreement.objects.of_person(request.user)
        .select_related("call", "municipality", "submitting_organisation")
        .prefetch_related("housing_organisations", "party_consents")
        .order_by("-created_at")
    )
    asked = services.consent_tasks(request.user)
    if not answers and not asked:
        return None
    for answer in answers:
        answer.may_withdraw = services.can_withdraw(agreement=answer, person=request.user)
        answer.resume_url = (
            answer.call.questionnaire_url(answer)
            if answer.is_draft and answer.call and answer.submitted_by_id == request.user.pk
            else ""
        )
        answer.consent_rows = [] if answer.is_draft else answer.consent_overview()
        answer.consent_links = [
            (row["organisation"], _consent_url(answer, row["organisation"], request.user))
            for row in answer.consent_rows
            if not row["is_municipality"]
            and row["organisation"] is not None
            and answer.can_be_withdrawn()
        ]
    municipality_asks = []
    for agreement, municipality in asked:
        agreement.consent_rows = agreement.consent_overview()
        agreement.municipality_consent = next(
            (c for c in agreement.party_consents.all() if c.organisation_id == municipality.pk),
            None,
        )
        agreement.consent_url = _consent_url(agreement, municipality, request.user)
        municipality_asks.append(agreement)
    return render_to_string(
        "library/my_page_section.html",
        {"answers": answers, "municipality_asks": municipality_asks},
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
    own = set(verified_organisations(request.user).values_list("pk", flat=True))
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
    if data.get("housing_organisation"):
        agreements = agreements.filter(housing_organisations=data["housing_organisation"])
    if data.get("topic"):
        agreements = agreements.filter(topics=data["topic"])
    if data.get("year"):
        agreements = agreements.filter(signed_on__year=data["year"])
    return agreements, clean_query(data.get("q") or ""), data.get("sort") or ""


def search_agreement_ids(agreements, query: str) -> list[int]:
    """Ids of `agreements` matching `query`, best match first. The visibility filter is
    applied in the database first, so a stale search index can never widen it."""
    allowed = list(agreements.order_by().values_list("pk", flat=True).distinct())
    if not allowed:
        return []
    candidates = Agreement.objects.filter(pk__in=allowed)
    ids = [a.pk for a in candidates.search(query)]
    if not ids:  # "København" should find "Københavns Kommune": fall back to word prefixes
        ids = [a.pk for a in candidates.autocomplete(query)]
    return ids


def library_listing(request, page):
    visible = Agreement.objects.visible_to(request.user).listed()
    housing_organisations = (
        Organisation.objects.filter(agreements__in=visible.values("pk")).distinct().order_by("name")
    )
    form = LibraryFilterForm(request.GET, housing_organisations=housing_organisations)
    agreements, query, sort = filtered_agreements(request, form)
    if sort not in ORDERINGS and not (sort == "relevance" and query):
        sort = "relevance" if query else "newest"

    if query:
        ids = search_agreement_ids(agreements, query)
        if sort != "relevance":
            ids = list(
                Agreement.objects.filter(pk__in=ids)
                .order_by(*ORDERINGS[sort])
                .values_list("pk", flat=True)
            )
        page_obj = Paginator(ids, page.per_page).get_page(request.GET.get("page"))
        by_id = Agreement.objects.for_listing().in_bulk(list(page_obj.object_list))
        page_obj.object_list = [by_id[pk] for pk in page_obj.object_list if pk in by_id]
    else:
        results = agreements.distinct().order_by(*ORDERINGS[sort]).for_listing()
        page_obj = Paginator(results, page.per_page).get_page(request.GET.get("page"))
        page_obj.object_list = list(page_obj.object_list)

    # Show the sort order actually used (best match only when searching).
    form.data = form.data.copy()
    form.data["sort"] = sort
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = page.get_context(request)
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
    with_consent = [a for a in page_obj.object_list if shows_consent(a)]
    prefetch_related_objects(with_consent, "party_consents")
    for agreement in page_obj.object_list:
        agreement.detail_url = page.agreement_url(agreement)
        agreement.consent_rows = agreement.consent_overview() if shows_consent(agreement) else None
    return _per_visitor(request, TemplateResponse(request, page.get_template(request), context))


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
    data = overview_module.build_overview()
    detail = OrderedDict()
    visible = (
        Agreement.objects.visible_to(request.user)
        .listed()
        .for_listing()
        .order_by("municipality__name", F("signed_on").desc(nulls_last=True), "pk")
    )
    library = AgreementLibraryPage.objects.live().first()
    for agreement in visible:
        agreement.detail_url = library.agreement_url(agreement) if library else ""
        detail.setdefault(agreement.municipality, []).append(agreement)
    context = page.get_context(request)
    context.update(
        {
            "overview": data,
            "municipality_detail": list(detail.items()),
            "is_member": is_network_member(request.user),
        }
    )
    return _per_visitor(request, TemplateResponse(request, page.get_template(request), context))


def overview_csv(request, page):
    data = overview_module.build_overview()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="landsoverblik-aftaler.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Danish letters right
    writer = csv.writer(response, delimiter=";")
    writer.writerows(overview_module.csv_rows(data))
    return response


def search_section(request, query: str) -> str | None:
    """Agreements in the site search, through the same visibility rule."""
    query = clean_query(query)
    library = AgreementLibraryPage.objects.live().first()
    if not query or library is None:
        return None
    ids = search_agreement_ids(Agreement.objects.visible_to(request.user).listed(), query)
    if not ids:
        return None
    shown = ids[:5]
    by_id = Agreement.objects.select_related("municipality").in_bulk(shown)
    results = [by_id[pk] for pk in shown if pk in by_id]
    for agreement in results:
        agreement.detail_url = library.agreement_url(agreement)
    return render_to_string(
        "library/search_section.html",
        {
            "results": results,
            "count": len(ids),
            "library_url": library.get_url(request),
            "query": query,
        },
        request=request,
    )
