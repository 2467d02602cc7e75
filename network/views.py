from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.views import render_my_page

from . import pricing, renewals, services
from .forms import JoinOrganisationForm, MembershipSignupForm, RenewalForm
from .models import Affiliation, Membership, NetworkPage, Organisation, local_date


@login_required
def signup(request):
    """Sign an organisation up for a network and a year."""
    person = request.user
    has_organisation = Organisation.objects.verified_for(person).exists()
    initial = {}
    if (network_id := request.GET.get("netvaerk", "")).isdigit():
        initial["network"] = network_id
    if request.method == "POST":
        form = MembershipSignupForm(request.POST, person=person)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = services.sign_up(
                    person=person,
                    organisation=data["organisation"],
                    network=data["network"],
                    year=data["year"],
                    ean=data["ean"],
                    purchase_reference=data["purchase_reference"],
                    invoice_contact_name=data["invoice_contact_name"],
                    invoice_contact_email=data["invoice_contact_email"],
                    accept_terms=data["accept_terms"],
                )
            except services.AlreadySignedUp as exc:
                messages.info(request, exc.messages[0])
                return redirect("network:signup_done", pk=exc.membership.pk)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Thank you: your sign-up has been received."))
                return redirect("network:signup_done", pk=membership.pk)
    else:
        last = (
            Membership.objects.filter(organisation__in=Organisation.objects.verified_for(person))
            .order_by("-created_at")
            .first()
        )
        if last is not None:  # pre-fill invoicing from the organisation's last sign-up
            initial.update(
                organisation=last.organisation_id,
                ean=last.ean,
                invoice_contact_name=last.invoice_contact_name,
                invoice_contact_email=last.invoice_contact_email,
            )
        form = MembershipSignupForm(initial=initial, person=person)
    networks = list(form.fields["network"].queryset)
    today = local_date()
    years = services.allowed_signup_years(today)
    prices = [
        (network, [pricing.network_price(network, year=year, on=today) for year in years])
        for network in networks
        if network.price is not None
    ]
    return render(
        request,
        "network/signup.html",
        {
            "form": form,
            "has_organisation": has_organisation,
            "networks": networks,
            "prices": prices,
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def signup_done(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "network"),
        pk=pk,
        organisation__in=Organisation.objects.verified_for(request.user),
    )
    today = local_date()
    offer = None
    if membership.year > today.year and membership.status in (
        Membership.Status.APPLIED,
        Membership.Status.ACTIVE,
    ):
        offer = services.trial_offer(
            organisation=membership.organisation, network=membership.network, on=today
        )
    return render(
        request, "network/signup_done.html", {"membership": membership, "trial_offer": offer}
    )


@login_required
@require_POST
def join(request):
    form = JoinOrganisationForm(request.POST, person=request.user)
    if not form.is_valid():
        # Min side again, the choice in error at the field and in the error summary.
        request.join_form = form
        return render_my_page(request, section_forms=[form])
    organisation = form.cleaned_data["organisation"]
    try:
        affiliation = services.join_organisation(person=request.user, organisation=organisation)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("my_page")
    if affiliation.is_verified:
        messages.success(
            request,
            _("You are now affiliated with %(organisation)s.") % {"organisation": organisation},
        )
    else:
        messages.info(
            request,
            _(
                "Your request to join %(organisation)s has been sent. You will get an e-mail "
                "when it has been decided."
            )
            % {"organisation": organisation},
        )
    return redirect("my_page")


@login_required
@require_POST
def decide(request, pk: int):
    affiliation = get_object_or_404(Affiliation, pk=pk)
    approve = request.POST.get("decision") == "approve"
    # PermissionDenied (not staff, not the organisation's contact person) gives a 403; a
    # request decided already is not changed here (staff do that in the admin, with a reason).
    try:
        services.decide_affiliation(
            affiliation=affiliation, decided_by=request.user, approve=approve
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("my_page")
    messages.success(
        request,
        (
            _("%(person)s is now affiliated with %(organisation)s.")
            if approve
            else _("The request from %(person)s was declined.")
        )
        % {"person": affiliation.person, "organisation": affiliation.organisation},
    )
    return redirect("my_page")


@login_required
@require_POST
def directory_listing(request, pk: int):
    affiliation = get_object_or_404(Affiliation, pk=pk, person=request.user)
    listed = request.POST.get("listed") == "1"
    services.set_directory_listing(affiliation=affiliation, person=request.user, listed=listed)
    messages.success(
        request,
        _("You are now listed in the members' directory.")
        if listed
        else _("You are no longer listed in the members' directory."),
    )
    return redirect("my_page")


@login_required
def directory(request, pk: int):
    network = NetworkPage.objects.live().filter(pk=pk).first()
    if network is None:
        raise Http404
    try:
        organisations = services.directory(network=network, person=request.user)
    except PermissionDenied:
        return render(request, "network/directory_denied.html", {"network": network}, status=403)
    return render(
        request,
        "network/directory.html",
        {"network": network, "organisations": organisations, "year": local_date().year},
    )


# --- The membership year: renewing from the e-mail's link ---------------------------------


def _renewal_or_refusal(request, token: str):
    """Last year's membership the signed link names, if the visitor may act for it;
    otherwise the response to give (404 for a bad link, a Danish 403 page for someone
    logged in who is not a person of the organisation)."""
    membership = renewals.membership_from_token(token)
    if membership is None:
        raise Http404
    if not renewals.can_renew(request.user, membership):
        return membership, render(
            request, "network/renew_denied.html", {"membership": membership}, status=403
        )
    return membership, None


@login_required
def renew(request, token: str):
    """ "Forny for <year>": last year's invoicing details, changeable before confirming."""
    membership, refusal = _renewal_or_refusal(request, token)
    if refusal is not None:
        return refusal
    network = membership.network
    state = renewals.renewal_state(membership)
    open_now = renewals.renewable(membership)
    form = None
    if not state.renewed and open_now:
        if request.method == "POST":
            form = RenewalForm(request.POST, network=network)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    renewal = renewals.renew(membership=membership, person=request.user, **data)
                except services.AlreadySignedUp as exc:
                    messages.info(request, exc.messages[0])
                    return redirect("network:signup_done", pk=exc.membership.pk)
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("Thank you: %(organisation)s is renewed for %(year)s.")
                        % {"organisation": membership.organisation, "year": renewal.year},
                    )
                    return redirect("network:signup_done", pk=renewal.pk)
        else:
            form = RenewalForm(
                network=network,
                initial={
                    "ean": membership.ean,
                    "purchase_reference": membership.purchase_reference,
                    "invoice_contact_name": membership.invoice_contact_name,
                    "invoice_contact_email": membership.invoice_contact_email,
                    "seats_per_meeting": membership.seats_per_meeting or "",
                },
            )
    return render(
        request,
        "network/renew.html",
        {
            "membership": membership,
            "network": network,
            "state": state,
            "year": membership.year + 1,
            "form": form,
            "open_now": open_now,
            "can_cancel": not state.answered and renewals.cancellation_open(membership),
            "deadline": network.cancellation_deadline_for(membership.year + 1),
            "price_line": _price_line(membership),
        },
    )


def _price_line(membership):
    """The coming year's price (`network.pricing`, the rule `renewals.renew` stores) as the
    renewal page states it; None when the network states no price or the year is over."""
    try:
        price = pricing.network_price(membership.network, year=membership.year + 1, on=local_date())
    except ValueError:  # an old link, after the year it would renew
        return None
    return price.rule if price else None


@login_required
def renew_cancel(request, token: str):
    """One click from the e-mail lands here; one more press cancels for the coming year."""
    membership, refusal = _renewal_or_refusal(request, token)
    if refusal is not None:
        return refusal
    state = renewals.renewal_state(membership)
    if request.method == "POST" and not state.cancelled:
        try:
            renewals.decline(membership=membership, person=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("%(organisation)s does not continue in %(network)s in %(year)s.")
                % {
                    "organisation": membership.organisation,
                    "network": membership.network.title,
                    "year": membership.year + 1,
                },
            )
        return redirect("network:renew_cancel", token=token)
    return render(
        request,
        "network/renew_cancel.html",
        {
            "membership": membership,
            "network": membership.network,
            "state": state,
            "year": membership.year + 1,
            "open_now": renewals.cancellation_open(membership),
            "deadline": membership.network.cancellation_deadline_for(membership.year + 1),
        },
    )
