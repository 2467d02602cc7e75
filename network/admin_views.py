"""Wagtail admin: organisations, affiliations, memberships and trial uses under one
"Networks" menu, with filters, exports and bulk approval; the dashboard panels that show
what waits for the coordinators.

Who may do what is decided by `network.access`, here as in the views and services."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.functional import classproperty, lazy
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal import audit
from portal.admin_views import WaitingItem, WaitingPanel
from portal.exports import SnippetExportIndexView, rows_response
from portal.models import SiteSettings
from portal.regions import Region

from . import access, audit_actions, einvoice, renewals, services
from .models import Affiliation, Membership, NetworkPage, Organisation, TrialUse, local_date


class OrganisationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organisation.Kind.choices)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)

    class Meta:
        model = Organisation
        fields = ["kind", "region"]


class OrganisationViewSet(SnippetViewSet):
    index_view_class = SnippetExportIndexView
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    search_fields = ["name", "municipality_code", "domains__domain"]
    search_backend_name = None
    filterset_class = OrganisationFilterSet
    list_display = ["name", "kind", "municipality_code", "region", "administered_by"]
    list_export = [
        "name",
        "get_kind_display",
        "municipality_code",
        "get_region_display",
        "address",
        "domains_text",
    ]
    export_headings = {
        "name": _("Name"),
        "get_kind_display": _("Kind"),
        "municipality_code": _("Municipality code"),
        "get_region_display": _("Region"),
        "address": _("Address"),
        "domains_text": _("E-mail domains"),
    }
    export_filename = "organisationer"
    list_per_page = 50
    ordering = ["name"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Organisation.objects.select_related("administered_by").prefetch_related("domains")


class AffiliationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Affiliation.Status.choices)
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Affiliation.Role.choices)

    class Meta:
        model = Affiliation
        fields = ["status", "role"]


class ApproveButtonIndexView(SnippetExportIndexView):
    """A listing whose rows get an "Approve" button (`listing_buttons`) that comes back to
    the listing as it was, filters included: Wagtail's listing-button hook is only given
    `request.path` (it lost "?status=requested"), so the view adds the button itself."""

    def get_list_buttons(self, instance):
        query = self.request.GET.urlencode()
        next_url = f"{self.index_url}?{query}" if query else self.index_url
        return [
            *listing_buttons(instance, self.request.user, next_url),
            *super().get_list_buttons(instance),
        ]


class AffiliationViewSet(SnippetViewSet):
    index_view_class = ApproveButtonIndexView
    model = Affiliation
    icon = "user"
    menu_label = _("Affiliations")
    search_fields = [
        "person__email",
        "person__first_name",
        "person__last_name",
        "organisation__name",
    ]
    search_backend_name = None
    filterset_class = AffiliationFilterSet
    list_display = [
        "person",
        "organisation",
        "role",
        "status",
        "verified_via",
        # A tick or a cross titled "Ja"/"Nej", not the English "True" (issue 8).
        BooleanColumn(
            "listed_in_directory",
            label=lazy(capfirst, str)(
                Affiliation._meta.get_field("listed_in_directory").verbose_name
            ),
        ),
    ]
    list_export = [
        "person.get_full_name",
        "person.email",
        "organisation.name",
        "get_role_display",
        "get_status_display",
        "get_verified_via_display",
    ]
    export_headings = {
        "person.get_full_name": _("Name"),
        "person.email": _("E-mail"),
        "organisation.name": _("Organisation"),
        "get_role_display": _("Role"),
        "get_status_display": _("Status"),
        "get_verified_via_display": _("Verified by way of"),
    }
    export_filename = "tilknytninger"
    copy_view_enabled = False
    panels = [
        FieldPanel("person"),
        FieldPanel("organisation"),
        FieldPanel("role"),
        FieldPanel("status", read_only=True),
        FieldPanel("verified_via", read_only=True),
        FieldPanel("listed_in_directory"),
    ]

    def get_queryset(self, request):
        return Affiliation.objects.select_related("person", "organisation")


def _year_choices():
    years = Membership.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(y, str(y)) for y in years]


class MembershipFilterSet(WagtailFilterSet):
    network = django_filters.ModelChoiceFilter(
        label=_("Network"), queryset=NetworkPage.objects.order_by("title")
    )
    year = django_filters.ChoiceFilter(label=_("Year"), choices=_year_choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Membership.Status.choices)
    organisation__kind = django_filters.ChoiceFilter(
        label=_("Kind of organisation"), choices=Organisation.Kind.choices
    )
    organisation__region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)

    class Meta:
        model = Membership
        fields = ["network", "year", "status"]


class MembershipIndexView(ApproveButtonIndexView):
    """The listing plus counts of the memberships the filters select, by status."""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        filtered = self.filter_queryset(Membership.objects.all())
        counts = filtered.aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in Membership.Status.values}
        )
        context["status_counts"] = [
            (label, counts[value]) for value, label in Membership.Status.choices
        ]
        context["active_count"] = counts[Membership.Status.ACTIVE]
        context["invoice_downloads"] = invoice_downloads(self.request)
        return context


def invoice_downloads(request) -> list[tuple[str, str]]:
    """The listing's "E-invoices for 2026 (zip)" links, one per year that has invoiceable
    memberships (of the network the filter selects, if it selects one)."""
    if not access.can_download_invoices(request.user):
        return []
    memberships = einvoice.invoiceable(Membership.objects.all())
    network_id = request.GET.get("network", "")
    query = ""
    if network_id.isdigit() and len(network_id) < 10:
        memberships = memberships.filter(network_id=network_id)
        query = "?" + urlencode({"network": network_id})
    years = memberships.order_by("-year").values_list("year", flat=True).distinct()
    return [
        (
            _("E-invoices for %(year)s (zip)") % {"year": year},
            reverse("network_invoices_year", args=[year]) + query,
        )
        for year in years
    ]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "tick-inverse"
    menu_label = _("Memberships")
    index_view_class = MembershipIndexView
    index_results_template_name = "network/admin/membership_index_results.html"
    search_fields = ["organisation__name", "ean", "purchase_reference", "invoice_contact_name"]
    search_backend_name = None
    filterset_class = MembershipFilterSet
    list_display = ["organisation", "network", "year", "status", "ean", "created_at"]
    # The invoicing export: one row per membership the filters select, with what was
    # charged at sign-up (network.pricing).
    list_export = [
        "organisation.name",
        "organisation.municipality_code",
        "network.title",
        "year",
        "get_status_display",
        "ean",
        "purchase_reference",
        "invoice_contact_name",
        "invoice_contact_email",
        "price_amount",
        "period_text",
        "price_rule",
        "invoice_number",
        "signed_up_by_email",
        "signed_up_on",
    ]
    export_headings = {
        "organisation.name": _("Organisation"),
        "organisation.municipality_code": _("Municipality code"),
        "network.title": _("Network"),
        "year": _("Year"),
        "get_status_display": _("Status"),
        "ean": _("EAN number"),
        "purchase_reference": _("Reference"),
        "invoice_contact_name": _("Invoice contact"),
        "invoice_contact_email": _("Invoice contact's e-mail"),
        "price_amount": _("Amount (DKK excl. VAT)"),
        "period_text": _("Period"),
        "price_rule": _("Price rule"),
        "invoice_number": _("Invoice number"),
        "signed_up_by_email": _("Signed up by"),
        "signed_up_on": _("Signed up"),
    }
    export_filename = "medlemskaber-fakturering"
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    # Status changes go through the bulk actions (they e-mail the person).
    panels = [
        FieldPanel("organisation"),
        FieldPanel("network"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("status", read_only=True)]),
        FieldPanel("seats_per_meeting"),
        MultiFieldPanel(
            [
                FieldPanel("ean"),
                FieldPanel("purchase_reference"),
                FieldPanel("invoice_contact_name"),
                FieldPanel("invoice_contact_email"),
                FieldRowPanel(
                    [
                        FieldPanel("price_amount", read_only=True),
                        FieldPanel("price_quarters", read_only=True),
                        FieldPanel("price_yearly", read_only=True),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("period_start", read_only=True),
                        FieldPanel("period_end", read_only=True),
                    ]
                ),
            ],
            heading=_("Invoicing"),
        ),
    ]

    def get_queryset(self, request):
        return Membership.objects.select_related("organisation", "network", "signed_up_by")


class TrialUseViewSet(SnippetViewSet):
    index_view_class = SnippetExportIndexView
    model = TrialUse
    icon = "date"
    menu_label = _("Trial meetings")
    search_fields = ["organisation__name"]
    search_backend_name = None
    list_display = ["organisation", "network", "meeting", "meeting_date", "created_at"]
    list_filter = ["network"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return TrialUse.objects.select_related("organisation", "network", "meeting")


class NetworkAdminGroup(SnippetViewSetGroup):
    menu_label = _("Networks")
    menu_icon = "group"
    menu_order = 250
    items = (MembershipViewSet, OrganisationViewSet, AffiliationViewSet, TrialUseViewSet)

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            RolloverReportMenuItem(
                _("Rollover report"),
                reverse_lazy("network_rollover_report"),
                icon_name="table",
                order=self.menu_order + 99,
            ),
        ]


# --- The rollover report ------------------------------------------------------------------


class RolloverReportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_see_rollover_report(request.user)


ROLLOVER_HEADINGS = {
    "network": _("Network"),
    "year": _("Year"),
    "renewed": _("Renewed"),
    "not_answered": _("Invited, not answered"),
    "cancelled": _("Cancelled"),
    # With a context: Wagtail's own "New" (its "Ny: …" headings) must stay singular.
    "new": pgettext_lazy("rollover report: new memberships", "New"),
    "invitations": _("Invitations sent"),
    "reminders": _("Reminders sent"),
}


def _report_year(request) -> int:
    today = local_date()
    default = today.year + 1 if today.month >= 10 else today.year
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2200:
        return int(value)
    return default


def rollover_report(request):
    """Per network, the move into a year: renewed, invited and not answered, cancelled,
    new, with the invitations and reminders sent; exportable as CSV/XLSX."""
    if not access.can_see_rollover_report(request.user):
        raise PermissionDenied
    year = _report_year(request)
    rows = renewals.rollover_report(year)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return rows_response(
            filename=f"medlemsaar-{year}",
            headings=ROLLOVER_HEADINGS,
            rows=[
                {
                    "network": row.network.title,
                    "year": row.year,
                    "renewed": row.renewed,
                    "not_answered": row.not_answered,
                    "cancelled": row.cancelled,
                    "new": row.new,
                    "invitations": row.invitations,
                    "reminders": row.reminders,
                }
                for row in rows
            ],
            export_format=export,
        )
    today = local_date()
    return TemplateResponse(
        request,
        "network/admin/rollover_report.html",
        {
            "page_title": _("Rollover report"),
            "year": year,
            "rows": rows,
            "headings": ROLLOVER_HEADINGS,
            "years": list(range(today.year - 3, today.year + 2)),
        },
    )


# --- Bulk actions ----------------------------------------------------------------------
#
# Approving one membership or affiliation is the same action with one item selected: the
# row's "Approve" button (`listing_buttons`) opens the bulk action's confirmation page.


class MembershipBulkAction(SnippetBulkAction):
    template_name = "network/admin/confirm_bulk_membership.html"

    @classproperty
    def models(cls):
        return [Membership]

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}


class ApproveMembershipsBulkAction(MembershipBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected memberships")
    action_priority = 10
    confirm_text = _("Approve these applied memberships? Each person who signed up gets an e-mail.")

    def check_perm(self, obj):
        return access.can_approve_memberships(self.request.user)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return services.approve_memberships(memberships=objects, approved_by=user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d membership approved.", "%(count)d memberships approved.", num_parent_objects
        ) % {"count": num_parent_objects}


class CancelMembershipsBulkAction(MembershipBulkAction):
    display_name = _("Cancel")
    action_type = "cancel"
    aria_label = _("Cancel the selected memberships")
    action_priority = 20
    classes = {"serious"}
    confirm_text = _("Cancel these memberships? They stop counting at once.")

    def check_perm(self, obj):
        return access.can_cancel_membership(self.request.user, obj)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        count = 0
        for membership in objects:
            if membership.status in (Membership.Status.APPLIED, Membership.Status.ACTIVE):
                services.cancel_membership(membership=membership, by=user)
                count += 1
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d membership cancelled.",
            "%(count)d memberships cancelled.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class ApproveAffiliationsBulkAction(SnippetBulkAction):
    template_name = "network/admin/confirm_bulk_membership.html"
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected affiliation requests")
    action_priority = 10
    confirm_text = _("Approve these affiliation requests? Each person gets an e-mail.")
    label_shows_status = True  # "Eva Esbjerg, Aarhus Kommune (Anmodet)": not twice

    @classproperty
    def models(cls):
        return [Affiliation]

    def check_perm(self, obj):
        return access.can_decide_affiliation(self.request.user, obj)

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        count = 0
        for affiliation in objects:
            if affiliation.status == Affiliation.Status.REQUESTED:  # decided ones: a reason
                services.decide_affiliation(affiliation=affiliation, decided_by=user, approve=True)
                count += 1
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d affiliation approved.",
            "%(count)d affiliations approved.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


BULK_ACTIONS = (
    ApproveMembershipsBulkAction,
    CancelMembershipsBulkAction,
    ApproveAffiliationsBulkAction,
)


def _single_action_url(action, obj, next_url) -> str:
    opts = obj._meta
    url = reverse("wagtail_bulk_action", args=[opts.app_label, opts.model_name, action.action_type])
    return f"{url}?{urlencode({'next': next_url or '', 'id': obj.pk})}"


def listing_buttons(snippet, user, next_url=None):
    """A row's "Approve" button in the memberships and affiliations listings, shown to whom
    the rule allows, for what waits: the bulk action with that one row."""
    if isinstance(snippet, Membership):
        if snippet.is_invoiceable and access.can_download_invoices(user):
            return [_invoice_button(snippet)]
        if snippet.status == Membership.Status.APPLIED and access.can_approve_memberships(user):
            action = ApproveMembershipsBulkAction
        else:
            return []
    elif isinstance(snippet, Affiliation):
        if snippet.status == Affiliation.Status.REQUESTED and access.can_decide_all_affiliations(
            user
        ):
            action = ApproveAffiliationsBulkAction
        elif access.can_change_decided_affiliation(user):
            return [_change_affiliation_button(snippet, next_url)]
        else:
            return []
    else:
        return []
    return [
        ListingButton(
            action.display_name,
            url=_single_action_url(action, snippet, next_url),
            icon_name="check",
            priority=5,
            attrs={"aria-label": _("Approve %(item)s") % {"item": snippet}},
        )
    ]


# --- E-invoices (network.einvoice) ----------------------------------------------------


def _invoice_button(membership) -> ListingButton:
    return ListingButton(
        _("E-invoice"),
        url=reverse("network_membership_invoice", args=[membership.pk]),
        icon_name="download",
        priority=5,
        attrs={
            # No `download` attribute: the file comes with Content-Disposition, and a
            # refusal (seller details missing) is the listing with the message.
            "aria-label": _("Download the e-invoice for %(item)s") % {"item": membership},
        },
    )


def _back_to_listing(request, error: str):
    messages.error(request, error)
    return redirect(reverse("wagtailsnippets_network_membership:list"))


def _xml_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def membership_invoice(request, pk: int):
    """One membership's e-invoice (Peppol BIS 3.0 XML), for `access.can_download_invoices`."""
    if not access.can_download_invoices(request.user):
        raise PermissionDenied
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "network"), pk=pk
    )
    try:
        content = einvoice.invoice_xml(membership, SiteSettings.for_request(request))
    except einvoice.InvoiceError as error:
        return _back_to_listing(request, str(error))
    audit.record(
        membership,
        audit_actions.INVOICE_DOWNLOADED,
        by=request.user,
        data={"number": membership.invoice_number},
    )
    return _xml_response(content, einvoice.filename(membership), "application/xml; charset=utf-8")


def invoices_year(request, year: str):
    """A year's e-invoices in one zip (of one network with `?network=`), for
    `access.can_download_invoices`."""
    if not access.can_download_invoices(request.user):
        raise PermissionDenied
    year = int(year)
    memberships = einvoice.invoiceable(Membership.objects.filter(year=year))
    network_id = request.GET.get("network", "")
    if network_id.isdigit() and len(network_id) < 10:
        memberships = memberships.filter(network_id=network_id)
    memberships = list(memberships.select_related("organisation", "network").order_by("pk"))
    if not memberships:
        return _back_to_listing(
            request,
            _("No approved memberships with a price in %(year)s to invoice.") % {"year": year},
        )
    try:
        content = einvoice.year_zip(memberships, SiteSettings.for_request(request))
    except einvoice.InvoiceError as error:
        return _back_to_listing(request, str(error))
    for membership in memberships:
        audit.record(
            membership,
            audit_actions.INVOICE_DOWNLOADED,
            by=request.user,
            data={"number": membership.invoice_number, "batch": year},
        )
    return _xml_response(content, f"e-fakturaer-{year}.zip", "application/zip")


# --- Revoking or restoring a decided affiliation (staff, with a reason) -----------------


def _change_affiliation_button(affiliation, next_url) -> ListingButton:
    revoke = affiliation.status == Affiliation.Status.VERIFIED
    url = reverse("network_affiliation_change", args=[affiliation.pk])
    return ListingButton(
        _("Revoke") if revoke else _("Restore"),
        url=f"{url}?{urlencode({'next': next_url or ''})}",
        icon_name="cross" if revoke else "undo",
        priority=6,
        attrs={
            "aria-label": (_("Revoke %(item)s") if revoke else _("Restore %(item)s"))
            % {"item": affiliation}
        },
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The person gets this by e-mail; it is kept in the history."),
        error_messages={"required": _("Give the reason; the person is told it by e-mail.")},
    )


def change_affiliation(request, pk: int):
    """Revoke a verified affiliation or restore a rejected one, with a reason: a page with
    the form (CSRF-protected), the change by `services.change_decided_affiliation`."""
    if not access.can_change_decided_affiliation(request.user):
        raise PermissionDenied
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"), pk=pk
    )
    listing_url = reverse("wagtailsnippets_network_affiliation:list")
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not next_url.startswith("/admin/"):
        next_url = listing_url
    revoke = affiliation.status == Affiliation.Status.VERIFIED
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_decided_affiliation(
                affiliation=affiliation, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                (
                    _("The affiliation of %(person)s with %(organisation)s was revoked.")
                    if revoke
                    else _("The affiliation of %(person)s with %(organisation)s was restored.")
                )
                % {"person": affiliation.person, "organisation": affiliation.organisation},
            )
        return redirect(next_url)
    return TemplateResponse(
        request,
        "network/admin/change_affiliation.html",
        {
            "affiliation": affiliation,
            "form": form,
            "revoke": revoke,
            "decided": affiliation.status != Affiliation.Status.REQUESTED,
            "next_url": next_url,
            "page_title": _("Revoke affiliation") if revoke else _("Restore affiliation"),
        },
    )


# --- Dashboard --------------------------------------------------------------------------


def network_waiting_panel(user) -> WaitingPanel | None:
    """Membership applications and affiliation requests, each for whom may decide them."""
    items = []
    if access.can_approve_memberships(user):
        applied = Membership.objects.filter(status=Membership.Status.APPLIED).count()
        if applied:
            items.append(
                WaitingItem(
                    ngettext(
                        "%(counter)s membership application to approve",
                        "%(counter)s membership applications to approve",
                        applied,
                    )
                    % {"counter": applied},
                    reverse("wagtailsnippets_network_membership:list") + "?status=applied",
                )
            )
    if access.can_decide_all_affiliations(user):
        requested = Affiliation.objects.requested().count()
        if requested:
            items.append(
                WaitingItem(
                    ngettext(
                        "%(counter)s affiliation request to decide",
                        "%(counter)s affiliation requests to decide",
                        requested,
                    )
                    % {"counter": requested},
                    reverse("wagtailsnippets_network_affiliation:list") + "?status=requested",
                )
            )
    if not items:
        return None
    return WaitingPanel(
        name="network_pending", heading=_("Waiting for you in the networks"), items=items, order=50
    )
