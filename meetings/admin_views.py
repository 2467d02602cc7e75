"""Wagtail admin: registrations per meeting, check-in at the door, moving from the
waitlist by hand, cancelling, the exports and the printable participant list.

Every action is a Wagtail view inside `RegistrationViewSet` (its URLs, Wagtail's admin
login and CSRF handling), the rules come from `meetings.access` and the work is done by
`meetings.services`."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import re_path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseOperationView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from network.models import Organisation
from portal.admin_views import WaitingItem, WaitingPanel
from portal.exports import ExportIndexView

from . import services
from .access import can_manage_registrations, can_view_registrations
from .models import MeetingPage, Registration

# Long dietary/accessibility notes are cut in the listing (the exports keep them whole).
ANSWER_CHARS = 60


# --- The row actions: check in, undo, confirm from the waitlist, cancel -----------------


@dataclass(frozen=True)
class RegistrationAction:
    """One thing a coordinator does to one registration."""

    slug: str
    label: str
    question: str  # the confirmation page's question, with %(name)s
    done: str  # the message afterwards, with %(name)s
    applies: Callable[[Registration], bool]
    perform: Callable[..., Registration]  # (registration, user)
    # Cancelling e-mails the person and gives the seat away: the row button opens a
    # confirmation page. The others are one press at the door.
    confirm_first: bool = False
    serious: bool = False
    # When it was done already (a double tap at the door), say so in these words.
    already: str = ""
    is_done: Callable[[Registration], bool] = lambda registration: False
    # The question for someone on the waitlist, when it differs (no seat to pass on).
    waitlisted_question: str = ""

    def message(self, template: str, registration: Registration) -> str:
        return str(template) % {"name": registration.person}

    def question_for(self, registration: Registration) -> str:
        if registration.is_waitlisted and self.waitlisted_question:
            return self.message(self.waitlisted_question, registration)
        return self.message(self.question, registration)


ACTIONS = {
    action.slug: action
    for action in (
        RegistrationAction(
            slug="check-in",
            label=gettext_lazy("Check in"),
            question=gettext_lazy("Check %(name)s in as present?"),
            done=gettext_lazy("%(name)s is checked in."),
            already=gettext_lazy("%(name)s was already checked in; nothing changed."),
            is_done=lambda r: r.attended,
            applies=lambda r: r.is_confirmed and not r.attended,
            perform=lambda r, user: services.check_in(registration=r, checked_in_by=user),
        ),
        RegistrationAction(
            slug="undo-check-in",
            label=gettext_lazy("Undo check-in"),
            question=gettext_lazy("Undo the check-in of %(name)s?"),
            done=gettext_lazy("Check-in undone for %(name)s."),
            applies=lambda r: r.attended,
            perform=lambda r, user: services.check_in(
                registration=r, checked_in_by=user, attended=False
            ),
        ),
        RegistrationAction(
            slug="confirm",
            label=gettext_lazy("Confirm from waitlist"),
            question=gettext_lazy(
                "Move %(name)s from the waitlist to a confirmed seat? They are told by e-mail."
            ),
            done=gettext_lazy(
                "%(name)s has moved from the waitlist to a confirmed seat and has been told by e-mail."
            ),
            applies=lambda r: r.is_waitlisted,
            perform=lambda r, user: services.confirm_by_hand(registration=r, confirmed_by=user),
        ),
        RegistrationAction(
            slug="cancel",
            label=gettext_lazy("Cancel registration"),
            question=gettext_lazy(
                "Cancel the registration of %(name)s? They are told by e-mail, and a "
                "confirmed seat goes to the next person on the waitlist."
            ),
            waitlisted_question=gettext_lazy(
                "Cancel the registration of %(name)s? They are told by e-mail and leave "
                "the waitlist; no confirmed seat is freed."
            ),
            done=gettext_lazy("The registration for %(name)s is cancelled."),
            applies=lambda r: r.is_active,
            perform=lambda r, user: services.cancel(registration=r, cancelled_by=user),
            confirm_first=True,
            serious=True,
        ),
    )
}
ACTION_URL_NAME = "meeting_registrations:action"


def action_url(registration: Registration, slug: str) -> str:
    return reverse(ACTION_URL_NAME, kwargs={"action": slug, "pk": registration.pk})


def row_actions(registration: Registration, user) -> list[dict]:
    """The buttons a row shows this user: the same list in the listing and at the door."""
    if not can_manage_registrations(user):
        return []
    return [
        {"action": action, "url": action_url(registration, action.slug)}
        for action in ACTIONS.values()
        if action.applies(registration)
    ]


class RegistrationActionView(WagtailAdminTemplateMixin, BaseOperationView):
    """Every row action, parametrised by the URL's `action`: GET shows a confirmation
    page (Danish question, a form with the CSRF token), POST does it through the
    service and goes back to `next` (the listing or the door list)."""

    model = Registration
    template_name = "meetings/admin/confirm_action.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_registrations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.action = ACTIONS[kwargs["action"]]
        except KeyError:
            raise Http404 from None

    def get_base_object_queryset(self):
        return Registration.objects.select_related("person", "meeting")

    def get_page_title(self):
        return str(self.action.label)

    def get_page_subtitle(self):
        return str(self.object.person)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.meeting_listing_url, "label": _("Registrations")},
            # The person is in the (screen-reader) heading and the first line already.
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def meeting_listing_url(self) -> str:
        return reverse("meeting_registrations:index") + f"?meeting={self.object.meeting_id}"

    def get_success_url(self):
        return self.next_url or self.meeting_listing_url

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            registration=self.object,
            action=self.action,
            possible=self.action.applies(self.object),
            question=self.action.question_for(self.object),
            next_url=self.next_url or "",
            back_url=self.get_success_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        registration = self.object
        if not self.action.applies(registration):
            # A second press, or someone else was quicker: say what the state is now.
            if self.action.is_done(registration):
                message = self.action.message(self.action.already, registration)
            else:
                message = _("Nothing changed: the registration of %(name)s is %(status)s.") % {
                    "name": registration.person,
                    "status": str(registration.get_status_display()).lower(),
                }
            messages.warning(request, message)
            return redirect(self.get_success_url())
        try:
            self.action.perform(registration, request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, self.action.message(self.action.done, registration))
        return redirect(self.get_success_url())


# --- Check-in at the door: one meeting, on a phone ---------------------------------------


def _search(queryset, query: str):
    for word in query.split():
        queryset = queryset.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return queryset


class CheckInView(WagtailAdminTemplateMixin, TemplateView):
    """The participants of one meeting as a narrow list with a search box and one big
    "Tjek ind" per person: what a coordinator holds at the door (390 px wide)."""

    template_name = "meetings/admin/check_in.html"
    header_icon = "check"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_registrations(request.user):
            raise PermissionDenied
        self.meeting = get_object_or_404(MeetingPage, pk=kwargs["meeting_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Check-in")

    def get_page_subtitle(self):
        return self.meeting.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("meeting_registrations:index") + f"?meeting={self.meeting.pk}",
                "label": _("Registrations"),
            },
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        registrations = (
            Registration.objects.active()
            .filter(meeting=self.meeting)
            .select_related("person", "organisation")
            .order_by("person__first_name", "person__last_name", "pk")
        )
        all_confirmed = [r for r in registrations if r.is_confirmed]
        shown = list(_search(registrations, query)) if query else list(registrations)
        # After a press, back to the empty search: the next person is someone else.
        door_url = self.request.path
        user = self.request.user
        rows = [
            {
                "registration": r,
                "actions": [a for a in row_actions(r, user) if not a["action"].confirm_first],
            }
            for r in shown
        ]
        context.update(
            meeting=self.meeting,
            query=query,
            door_url=door_url,
            confirmed_rows=[row for row in rows if row["registration"].is_confirmed],
            waitlisted_rows=[row for row in rows if row["registration"].is_waitlisted],
            confirmed_count=len(all_confirmed),
            checked_in_count=sum(1 for r in all_confirmed if r.attended),
            listing_url=reverse("meeting_registrations:index") + f"?meeting={self.meeting.pk}",
        )
        return context


def participants(request, meeting_pk: int):
    """A printable participant list: confirmed first, then the waitlist, with answers and a
    box to tick at the door."""
    if not can_view_registrations(request.user):
        raise PermissionDenied
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


def _listing_url(request) -> str:
    """Back to the full listing with the same filters and search. Not `get_full_path()`:
    a search typed into the listing fetches the rows from `results/` (a fragment), and a
    press there must come back to the whole page."""
    url = reverse("meeting_registrations:index")
    return f"{url}?{request.GET.urlencode()}" if request.GET else url


class ActionsColumn(Column):
    """The row's action buttons. Wagtail renders cell templates without the request, so
    `{% csrf_token %}` came out empty and every row form was refused; this column renders
    its template with the request (and so with the token)."""

    cell_template_name = "meetings/admin/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["actions"] = row_actions(instance, request.user) if request else []
        context["next"] = _listing_url(request) if request else ""
        return context

    def render_cell_html(self, instance, parent_context):
        context = self.get_cell_context_data(instance, parent_context)
        return self.cell_template.render(context, request=parent_context.get("request"))


class RegistrationIndexView(ExportIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("meeting", "person", "organisation", "registered_by")
        )

    @cached_property
    def filtered_meeting(self) -> MeetingPage | None:
        meeting_pk = self.request.GET.get("meeting")
        if meeting_pk and meeting_pk.isdigit():
            return MeetingPage.objects.filter(pk=meeting_pk).first()
        return None

    def get_filename(self):
        if self.filtered_meeting:
            return f"deltagere-{self.filtered_meeting.slug}"
        return "tilmeldinger"

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.filtered_meeting and can_manage_registrations(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Check-in"),
                    url=reverse("meeting_registrations:check_in", args=[self.filtered_meeting.pk]),
                    icon_name="check",
                    priority=20,
                )
            )
        return buttons


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
            # A rule refused the registration (not a member, already registered, ...):
            # show it on the form with Wagtail's error banner, as for any invalid field.
            form.add_error(None, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
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
    action_view_class = RegistrationActionView
    check_in_view_class = CheckInView
    filterset_class = RegistrationFilterSet
    list_per_page = 50
    search_fields = [
        "person__first_name",
        "person__last_name",
        "person__email",
        "organisation__name",
    ]
    # The actions come second, so on a phone "Tjek ind" is on screen next to the name.
    list_display = [
        Column(
            "person",
            label=gettext_lazy("Participant"),
            sort_key="person__first_name",
            accessor=lambda registration: (
                registration.person or gettext_lazy("Anonymised participant")
            ),
        ),
        ActionsColumn("actions", label=gettext_lazy("Actions")),
        StatusColumn("status", label=gettext_lazy("Status"), sort_key="status"),
        Column("organisation", label=gettext_lazy("Organisation"), sort_key="organisation__name"),
        Column("meeting", label=gettext_lazy("Meeting"), sort_key="meeting__start"),
        Column("get_kind_display", label=gettext_lazy("Kind")),
        Column("person.email", label=gettext_lazy("E-mail")),
        Column(
            "answers_text",
            label=gettext_lazy("Answers"),
            accessor=lambda registration: registration.answers_text(limit=ANSWER_CHARS),
        ),
        Column("created_at", label=gettext_lazy("Registered"), sort_key="created_at"),
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

    @property
    def action_view(self):
        return self.construct_view(self.action_view_class)

    @property
    def check_in_view(self):
        return self.construct_view(self.check_in_view_class)

    def get_urlpatterns(self):
        slugs = "|".join(ACTIONS)
        return [
            *super().get_urlpatterns(),
            # One view for every row action: /check-in/5/, /confirm/5/, /cancel/5/, …
            re_path(rf"^(?P<action>{slugs})/(?P<pk>\d+)/$", self.action_view, name="action"),
            re_path(r"^door/(?P<meeting_pk>\d+)/$", self.check_in_view, name="check_in"),
        ]


# --- Dashboard --------------------------------------------------------------------------


def meeting_waitlists_panel(user) -> WaitingPanel | None:
    """The waitlist of each upcoming meeting that has one, for whom may move people from
    it (the meetings app's registration permission). One query."""
    if not can_manage_registrations(user):
        return None
    meetings = (
        MeetingPage.objects.upcoming()
        .annotate(
            waitlisted=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            )
        )
        .filter(waitlisted__gt=0)
        .only("pk", "title", "start")
    )
    listing = reverse("meeting_registrations:index")
    items = [
        WaitingItem(
            ngettext(
                "%(meeting)s: %(counter)s on the waitlist",
                "%(meeting)s: %(counter)s on the waitlist",
                meeting.waitlisted,
            )
            % {"meeting": meeting.title, "counter": meeting.waitlisted},
            f"{listing}?{urlencode({'meeting': meeting.pk, 'status': 'waitlisted'})}",
        )
        for meeting in meetings
    ]
    if not items:
        return None
    return WaitingPanel(
        name="meeting_waitlists", heading=_("Waitlists of upcoming meetings"), items=items, order=52
    )
