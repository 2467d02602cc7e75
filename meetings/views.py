"""Public views: register, cancel (signed in or from the e-mail link), calendar files and
materials. The rules live in `meetings.services`; these views only translate between
HTTP and the service calls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from network.models import NetworkPage
from portal import private_files

from . import access, emails, ics, services
from .forms import RegistrationForm, SendColleagueForm
from .models import MeetingMaterial, MeetingPage, Registration

FIELD_FOR_CODE = {"not_affiliated": "participant", "not_colleague": "participant"}


def _visible_meeting(pk: int) -> MeetingPage:
    return get_object_or_404(MeetingPage.objects.live().public().select_related("venue"), pk=pk)


def _outcome_message(registration: Registration, user) -> str:
    """What happened, and why, in whole sentences (self and colleague differ in Danish
    word order, so each has its own message)."""
    reason = registration.reason_text
    if registration.is_pending:
        if registration.person_id == user.pk:
            return _(
                "Your request is received and awaits approval. We write to you when it has "
                "been decided."
            )
        return _(
            "The request for %(name)s is received and awaits approval. They are told by "
            "e-mail when it has been decided."
        ) % {"name": registration.person}
    if registration.is_offered:
        return _("A seat is offered to you; accept it under Min side before the time runs out.")
    if registration.person_id == user.pk:
        if not registration.is_new:
            if registration.is_confirmed:
                return _("You were already registered for this meeting; your seat is confirmed.")
            return _("You are already on the waitlist for this meeting. %(reason)s") % {
                "reason": reason
            }
        if registration.is_confirmed:
            return _(
                "You are registered and your seat is confirmed. A confirmation is on its way by e-mail."
            )
        return _(
            "You are on the waitlist. %(reason)s You move up automatically when a seat becomes free."
        ) % {"reason": reason}
    name = registration.person
    if not registration.is_new:
        if registration.is_confirmed:
            return _("%(name)s was already registered for this meeting; the seat is confirmed.") % {
                "name": name
            }
        return _("%(name)s is already on the waitlist for this meeting. %(reason)s") % {
            "name": name,
            "reason": reason,
        }
    if registration.is_confirmed:
        return _(
            "%(name)s is registered and the seat is confirmed. We have sent them a confirmation."
        ) % {"name": name}
    return _(
        "%(name)s is on the waitlist. %(reason)s They move up automatically when a seat becomes free."
    ) % {"name": name, "reason": reason}


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk: int):
    meeting = _visible_meeting(pk)
    options = services.registration_options(meeting=meeting, user=request.user)
    form_kwargs = {
        "meeting": meeting,
        "user": request.user,
        "options": options,
        "prefer_trial": request.GET.get("proeve") == "1",
    }
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                registration = services.register(
                    meeting=meeting,
                    person=form.cleaned_data["participant"],
                    organisation=form.cleaned_data["organisation"],
                    registered_by=request.user,
                    answers=form.answers,
                    trial=form.uses_trial,
                )
            except services.RegistrationBusy as busy:
                form.add_error(None, busy)
                status = 409
            except ValidationError as error:
                field = FIELD_FOR_CODE.get(getattr(error, "code", None))
                form.add_error(field, error)
                status = 400
            else:
                level = (
                    messages.SUCCESS
                    if registration.is_confirmed or registration.is_pending
                    else messages.WARNING
                )
                messages.add_message(request, level, _outcome_message(registration, request.user))
                return redirect(f"{meeting.url}#tilmelding")
        else:
            status = 400
    else:
        form = RegistrationForm(**form_kwargs)
    return render(
        request,
        "meetings/register.html",
        {
            "meeting": meeting,
            "network": meeting.cached_network,
            "form": form,
            "options": options,
            "registration": Registration.objects.active()
            .filter(meeting=meeting, person=request.user)
            .first(),
        },
        status=status,
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    """Cancel from Min side or the meeting page: a GET shows what is cancelled and asks,
    the POST from that page cancels."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "person"), pk=pk
    )
    user = request.user
    if not access.can_cancel_registration(user, registration):
        # Other people's registrations are not there as far as this user is concerned.
        raise Http404
    if request.method == "POST":
        return _cancel_and_report(request, registration, user)
    return render(
        request,
        "meetings/cancel_confirm.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "own": registration.person_id == user.pk,
            "next_url": _safe_next(request, ""),
            "back_url": _safe_next(request, registration.meeting.url or "/"),
        },
    )


def _cancel_and_report(request, registration: Registration, cancelled_by):
    fallback = registration.meeting.url or "/"
    try:
        services.cancel(registration=registration, cancelled_by=cancelled_by)
    except services.RegistrationBusy as busy:
        messages.error(request, busy.messages[0])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except PermissionDenied:
        raise Http404 from None
    else:
        if registration.person_id == getattr(request.user, "pk", registration.person_id):
            messages.success(request, _("Your registration has been cancelled."))
        else:
            messages.success(
                request,
                _("The registration for %(name)s has been cancelled.")
                % {"name": registration.person},
            )
    return redirect(_safe_next(request, fallback))


@require_http_methods(["GET", "POST"])
def cancel_by_token(request, token: str):
    """The link in the e-mails: a confirmation page, then the cancellation on POST (a GET
    never cancels, so mail scanners that follow links do no harm)."""
    registration = emails.registration_from_token(token)
    if registration is None:  # a mangled or forged link: say so in words, still a 404
        return render(request, "meetings/cancel_link_invalid.html", status=404)
    if request.method == "POST" and registration.is_active:
        try:
            services.cancel(registration=registration, cancelled_by=registration.person)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Your registration has been cancelled."))
        return redirect("meetings:cancel_by_token", token=token)
    return render(
        request,
        "meetings/cancel_confirm.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "own": True,
            "back_url": registration.meeting.url or "/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def send_colleague(request, pk: int):
    """Min side and the confirmation e-mail's link: hand a confirmed seat to a colleague
    from the same organisation. Someone else's registration is not there (404)."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "person", "organisation"), pk=pk
    )
    user = request.user
    if registration.person_id != user.pk:
        raise Http404
    meeting = registration.meeting
    form = SendColleagueForm(
        request.POST if request.method == "POST" else None, registration=registration
    )
    status = 200
    if request.method == "POST" and registration.is_confirmed:
        if form.is_valid():
            colleague = form.cleaned_data["colleague"]
            try:
                services.send_colleague(
                    registration=registration, colleague=colleague, sent_by=user
                )
            except ValidationError as error:
                form.add_error("colleague", error)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Your seat is handed to %(name)s, who has been sent a confirmation "
                        "with the calendar file."
                    )
                    % {"name": colleague},
                )
                return redirect(_safe_next(request, reverse("my_page")))
        else:
            status = 400
    return render(
        request,
        "meetings/send_colleague.html",
        {
            "registration": registration,
            "meeting": meeting,
            "form": form,
            "has_colleagues": form.fields["colleague"].queryset.exists(),
            "back_url": _safe_next(request, reverse("my_page")),
            "next_url": _safe_next(request, ""),
        },
        status=status,
    )


OFFER_MESSAGES = {
    "accepted": (
        messages.SUCCESS,
        gettext_noop(
            "The seat is yours. A confirmation with the calendar file is on its way by e-mail."
        ),
    ),
    "declined": (
        messages.SUCCESS,
        gettext_noop(
            "You have declined the seat, and your registration is cancelled. The seat goes "
            "to the next person on the waitlist."
        ),
    ),
    "expired": (
        messages.WARNING,
        gettext_noop(
            "The offer ran out before you answered, so the seat has gone to the next person "
            "on the waitlist."
        ),
    ),
    "gone": (messages.INFO, gettext_noop("This offer is no longer open.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def offer(request, pk: int):
    """A seat offered from the waitlist: what it is and until when, with "accept" and
    "decline" (POST). An expired, answered or someone else's offer never errors: it says
    what the registration's state is now."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "meeting__venue", "person"), pk=pk
    )
    user = request.user
    if not access.can_answer_offer(user, registration):
        raise Http404
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                result = services.accept_offer(registration=registration, accepted_by=user)
            elif answer == "decline":
                result = services.decline_offer(registration=registration, declined_by=user)
            else:
                return redirect("meetings:offer", pk=pk)
        except ValidationError as error:  # RegistrationBusy, a past meeting
            messages.error(request, error.messages[0])
            return redirect("meetings:offer", pk=pk)
        level, text = OFFER_MESSAGES[result.outcome]
        messages.add_message(request, level, _(text))
        return redirect("meetings:offer", pk=pk)
    return render(
        request,
        "meetings/offer.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "expired": registration.is_offered and registration.offer_expires_at <= timezone.now(),
        },
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def meeting_ics(request, pk: int):
    meeting = _visible_meeting(pk)
    return _ics_response(ics.meeting_ics(meeting), ics.ics_filename(meeting))


@require_GET
def network_feed(request, network_pk: int):
    """The subscribable calendar of a network's meetings (webcal://)."""
    network = get_object_or_404(NetworkPage.objects.live().public(), pk=network_pk)
    meetings = MeetingPage.objects.for_listing().descendant_of(network).order_by("start", "pk")
    content = ics.build_calendar(meetings, name=network.title)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{network.slug}.ics"'
    return response


@require_GET
def material(request, pk: int):
    """A meeting's material, to those `meetings.access.material_access` lets in. The file
    lives outside MEDIA_ROOT, so this view is the only way to it. Anonymous visitors are
    sent to log in; others are told why not."""
    item = get_object_or_404(MeetingMaterial.objects.select_related("meeting"), pk=pk)
    decision = access.material_access(request.user, item.meeting)

    def denied(request):
        if decision.reason == "anonymous":
            return redirect_to_login(request.get_full_path())
        if decision.reason == "not_published":
            raise Http404
        return render(
            request,
            "meetings/material_denied.html",
            {"meeting": item.meeting, "reason": decision.reason, "page": item.meeting},
            status=403,
        )

    return private_files.serve(request, item, "file", denied=denied)
