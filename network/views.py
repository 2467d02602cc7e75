from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import JoinOrganisationForm, MembershipSignupForm
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
    return render(
        request,
        "network/signup.html",
        {"form": form, "has_organisation": has_organisation, "networks": networks},
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
        for error in form.errors.get("organisation", []):
            messages.error(request, error)
        return redirect("my_page")
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
