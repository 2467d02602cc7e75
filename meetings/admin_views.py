"""Wagtail admin: registrations per meeting, check-in, moving from the waitlist by hand,
cancelling, and the printable participant list. Every action goes through
`meetings.services`."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from network.models import Organisation

from . import services
from .models import MeetingPage, Registration

CHANGE = "meetings.change_registration"
# Long dietary/accessibility notes are cut in the listing (the exports keep them whole).
ANSWER_CHARS = 60


def _require(request, perm: str = CHANGE):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _back(request, registration: Registration):
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("meeting_registrations:index") + f"?meeting={registration.meeting_id}")


@require_POST
def check_in(request, pk: int):
    _require(request)
    registration = get_object_or_404(Registration.objects.select_related("person"), pk=pk)
    attended = request.POST.get("attended", "1") == "1"
    try:
        services.check_in(registration=registration, checked_in_by=request.user, attended=attended)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            (_("%(name)s is checked in.") if attended else _("Check-in undone for %(name)s."))
            % {"name": registration.person},
        )
    return _back(request, registration)


@require_POST
def confirm(request, pk: int):
    _require(request)
    registration = get_object_or_404(Registration.objects.select_related("person"), pk=pk)
    try:
        services.confirm_by_hand(registration=registration, confirmed_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _(
                "%(name)s has moved from the waitlist to a confirmed seat and has been told by e-mail."
            )
            % {"name": registration.person},
        )
    return _back(request, registration)


@require_POST
def cancel(request, pk: int):
    _require(request)
    registration = get_object_or_404(Registration.objects.select_related("person"), pk=pk)
    try:
        services.cancel(registration=registration, cancelled_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The registration for %(name)s is cancelled.") % {"name": registration.person},
        )
    return _back(request, registration)


def participants(request, meeting_pk: int):
    """A printable participant list: confirmed first, then the waitlist, with answers and a
    box to tick at the door."""
    _require(request, "meetings.view_registration")
    meeting = get_object_or_404(MeetingPage.objects.select_related("venue"), pk=meeting_pk)
    registrations = (
        Registration.objects.active()
        .filter(meeting=meeting)
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__first_name", "person__last_name", "pk")
    )
    confirmed = [r for r in registrations if r.is_confirmed]
    waitlisted = sorted(
        (r for r in registrations if r.is_waitlisted), key=lambda r: (r.created_at, r.pk)
    )
    return render(
        request,
        "meetings/admin/participants.html",
        {
            "meeting": meeting,
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "summary": meeting.registration_summary(),
        },
    )


# --- The registrations listing (a ModelViewSet) ---------------------------------------


class RegistrationFilterSet(WagtailFilterSet):
    meeting = ModelChoiceFilter(
        label=gettext_lazy("Meeting"),
        queryset=MeetingPage.objects.order_by("-start"),
    )
    status = ChoiceFilter(label=gettext_lazy("Status"), choices=Registration.Status.choices)
    kind = ChoiceFilter(label=gettext_lazy("Kind"), choices=Registration.Kind.choices)
    organisation = ModelChoiceFilter(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.filter(Q(meeting_registrations__isnull=False))
        .distinct()
        .order_by("name"),
    )

    class Meta:
        model = Registration
        fields = ["meeting", "status", "kind", "organisation"]


class StatusColumn(Column):
    cell_template_name = "meetings/admin/status_cell.html"


class ActionsColumn(Column):
    cell_template_name = "meetings/admin/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["next"] = request.get_full_path() if request else ""
        return context


def _local_datetime_text(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _local_naive_datetime(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class RegistrationIndexView(generic.IndexView):
    # Times in the exports are Copenhagen time (Wagtail writes UTC): "20.11.2021 09:00" in
    # CSV, a plain date-time cell in Excel.
    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        datetime.datetime: {
            generic.IndexView.FORMAT_CSV: _local_datetime_text,
            generic.IndexView.FORMAT_XLSX: _local_naive_datetime,
        },
    }

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("meeting", "person", "organisation", "registered_by")
        )

    def write_csv_response(self, queryset):
        # A byte-order mark, so spreadsheet programs read æ, ø and å correctly.
        response = super().write_csv_response(queryset)
        response.streaming_content = _with_bom(response.streaming_content)
        return response

    def get_filename(self):
        meeting_pk = self.request.GET.get("meeting")
        if meeting_pk and meeting_pk.isdigit():
            meeting = MeetingPage.objects.filter(pk=meeting_pk).first()
            if meeting:
                return f"deltagere-{meeting.slug}"
        return "tilmeldinger"


def _with_bom(chunks):
    yield "\ufeff".encode()
    yield from chunks


class RegistrationCreateForm(WagtailAdminModelForm):
    """An editor registers someone by hand; the same rules apply (services.register)."""

    trial = forms.BooleanField(
        label=gettext_lazy("Uses the organisation's free trial"), required=False
    )

    class Meta:
        model = Registration
        fields = [
            "meeting",
            "person",
            "organisation",
            "dietary_needs",
            "accessibility_needs",
            "joins_dinner",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = MeetingPage.objects.order_by("-start")
        self.fields["person"].queryset = get_user_model().objects.filter(is_active=True)


class RegistrationEditForm(WagtailAdminModelForm):
    class Meta:
        model = Registration
        fields = ["dietary_needs", "accessibility_needs", "joins_dinner"]


class RegistrationCreateView(generic.CreateView):
    def form_valid(self, form):
        self.form = form
        data = form.cleaned_data
        try:
            self.object = services.register(
                meeting=data["meeting"],
                person=data["person"],
                organisation=data["organisation"],
                registered_by=self.request.user,
                answers={k: data.get(k) for k in services.ANSWER_FIELDS},
                trial=data.get("trial", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return self.save_action()

    def get_success_message(self, instance):
        if instance.is_confirmed:
            return _("%(name)s is registered with a confirmed seat.") % {"name": instance.person}
        return _("%(name)s is on the waitlist: %(reason)s") % {
            "name": instance.person,
            "reason": instance.reason_text,
        }


class RegistrationViewSet(ModelViewSet):
    model = Registration
    name = "meeting_registrations"
    url_prefix = "meetings/registrations"
    icon = "group"
    menu_label = gettext_lazy("Registrations")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = RegistrationIndexView
    add_view_class = RegistrationCreateView
    filterset_class = RegistrationFilterSet
    list_per_page = 50
    search_fields = [
        "person__first_name",
        "person__last_name",
        "person__email",
        "organisation__name",
    ]
    list_display = [
        Column("person", label=gettext_lazy("Participant"), sort_key="person__first_name"),
        Column("person.email", label=gettext_lazy("E-mail")),
        Column("organisation", label=gettext_lazy("Organisation"), sort_key="organisation__name"),
        Column("meeting", label=gettext_lazy("Meeting"), sort_key="meeting__start"),
        Column("get_kind_display", label=gettext_lazy("Kind")),
        StatusColumn("status", label=gettext_lazy("Status"), sort_key="status"),
        Column(
            "answers_text",
            label=gettext_lazy("Answers"),
            accessor=lambda registration: registration.answers_text(limit=ANSWER_CHARS),
        ),
        Column("created_at", label=gettext_lazy("Registered"), sort_key="created_at"),
        ActionsColumn("actions", label=gettext_lazy("Actions")),
    ]
    list_export = [
        "person.first_name",
        "person.last_name",
        "person.email",
        "person.job_title",
        "organisation.name",
        "meeting.title",
        "get_kind_display",
        "get_status_display",
        "reason_text",
        "dietary_needs",
        "accessibility_needs",
        "joins_dinner_text",
        "attended_text",
        "created_at",
    ]
    export_headings = {
        "person.first_name": gettext_lazy("First name"),
        "person.last_name": gettext_lazy("Last name"),
        "person.email": gettext_lazy("E-mail"),
        "person.job_title": gettext_lazy("Job title"),
        "organisation.name": gettext_lazy("Organisation"),
        "meeting.title": gettext_lazy("Meeting"),
        "get_kind_display": gettext_lazy("Kind"),
        "get_status_display": gettext_lazy("Status"),
        "reason_text": gettext_lazy("Why waitlisted"),
        "dietary_needs": gettext_lazy("Dietary needs"),
        "accessibility_needs": gettext_lazy("Accessibility needs"),
        "joins_dinner_text": gettext_lazy("Joins the dinner"),
        "attended_text": gettext_lazy("Checked in"),
        "created_at": gettext_lazy("Registered"),
    }
    inspect_view_fields = [
        "meeting",
        "person",
        "organisation",
        "registered_by",
        "kind",
        "status",
        "waitlist_reason",
        "dietary_needs",
        "accessibility_needs",
        "joins_dinner",
        "created_at",
        "confirmed_at",
        "promoted_at",
        "cancelled_at",
        "cancelled_by",
        "attended_at",
        "reminder_sent_at",
    ]

    def get_form_class(self, for_update=False):
        return RegistrationEditForm if for_update else RegistrationCreateForm
