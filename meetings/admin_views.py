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
from django.utils.functional import cached_property, classproperty
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.base import BaseOperationView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from network.models import Organisation
from portal.admin_views import WaitingItem, WaitingPanel
from portal.exports import ExportIndexView

from . import services
from .access import can_decide_registration, can_manage_registrations, can_view_registrations
from .forms import DecisionForm, SendColleagueForm
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
    # A form on the confirmation page (a reason, a colleague): made with
    # (registration, data); its cleaned data goes to `perform` as keyword arguments.
    form: Callable[..., forms.Form] | None = None

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
            slug="approve",
            label=gettext_lazy("Approve"),
            question=gettext_lazy(
                "Approve the request of %(name)s? They get a seat if the limits allow it, "
                "otherwise a place on the waitlist, and are told by e-mail."
            ),
            done=gettext_lazy("The request of %(name)s is approved and they are told by e-mail."),
            applies=lambda r: r.is_pending,
            perform=lambda r, user, reason="": services.decide(
                registration=r, approve=True, decided_by=user, reason=reason
            ),
            confirm_first=True,
            form=lambda registration, data=None: DecisionForm(data),
        ),
        RegistrationAction(
            slug="decline",
            label=gettext_lazy("Decline"),
            question=gettext_lazy(
                "Decline the request of %(name)s? They are told by e-mail, with the reason if "
                "you give one."
            ),
            done=gettext_lazy("The request of %(name)s is declined and they are told by e-mail."),
            applies=lambda r: r.is_pending,
            perform=lambda r, user, reason="": services.decide(
                registration=r, approve=False, decided_by=user, reason=reason
            ),
            confirm_first=True,
            serious=True,
            form=lambda registration, data=None: DecisionForm(data),
        ),
        RegistrationAction(
            slug="send-colleague",
            label=gettext_lazy("Send a colleague"),
            question=gettext_lazy(
                "Hand the seat of %(name)s to a colleague from the same organisation? The "
                "colleague gets the seat at once, and both are told by e-mail."
            ),
            done=gettext_lazy("The seat of %(name)s is handed to a colleague."),
            applies=lambda r: r.is_confirmed and r.organisation_id is not None,
            perform=lambda r, user, colleague: services.send_colleague(
                registration=r, colleague=colleague, sent_by=user
            ),
            confirm_first=True,
            form=lambda registration, data=None: SendColleagueForm(data, registration=registration),
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
        if self.action.form is not None and "form" not in kwargs:
            context["form"] = self.action.form(self.object)
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
        data = {}
        if self.action.form is not None:
            form = self.action.form(registration, request.POST)
            if not form.is_valid():
                response = self.render_to_response(self.get_context_data(form=form))
                response.status_code = 400
                return response
            data = form.cleaned_data
        try:
            self.action.perform(registration, request.user, **data)
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
    @cached_property
    def columns(self):
        # Checkboxes for the bulk actions (approve or decline requests), as in snippets.
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"), *super().columns]

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
    index_template_name = "meetings/admin/registration_index.html"
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
        "decided_at",
        "decided_by",
        "decision_reason",
        "offered_at",
        "offer_expires_at",
        "substitute_for",
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


# --- Bulk actions: approve or decline the selected requests -----------------------------


class DecisionBulkAction(BulkAction):
    """Approve or decline the selected requests awaiting approval, with one optional
    reason for all; the rest of the selection is listed and left alone."""

    template_name = "meetings/admin/confirm_bulk_decision.html"
    form_class = DecisionForm
    approve = True

    @classproperty
    def models(cls):
        return [Registration]

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [pk for pk in object_ids if str(pk).isdigit()]
        return list(
            Registration.objects.filter(pk__in=ids)
            .select_related("person", "meeting", "organisation")
            .order_by("created_at", "pk")
        )

    def get_all_objects_in_listing_query(self, parent_id):
        return Registration.objects.pending().values_list("pk", flat=True)

    def check_perm(self, obj):
        return can_decide_registration(self.request.user, obj)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = [item["item"] for item in context["items"]]
        context.update(
            header_icon="group",
            pending=[r for r in items if r.is_pending],
            not_pending=[r for r in items if not r.is_pending],
        )
        return context

    def get_execution_context(self):
        return {
            "user": self.request.user,
            "reason": self.cleaned_form.cleaned_data.get("reason", ""),
            "approve": self.approve,
        }

    @classmethod
    def execute_action(cls, objects, user=None, reason="", approve=True, **kwargs):
        count = services.decide_many(
            registrations=objects, approve=approve, decided_by=user, reason=reason
        )
        return count, 0


class ApproveRegistrationsBulkAction(DecisionBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected requests")
    action_priority = 10
    confirm_text = gettext_lazy(
        "Approve these requests? In the order they were made, each gets a seat if the "
        "limits allow it, otherwise a place on the waitlist, and is told by e-mail."
    )

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d request approved.", "%(count)d requests approved.", num_parent_objects
        ) % {"count": num_parent_objects}


class DeclineRegistrationsBulkAction(DecisionBulkAction):
    display_name = gettext_lazy("Decline")
    action_type = "decline"
    aria_label = gettext_lazy("Decline the selected requests")
    action_priority = 20
    classes = {"serious"}
    approve = False
    confirm_text = gettext_lazy(
        "Decline these requests? Each person is told by e-mail, with the reason if you give one."
    )

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d request declined.", "%(count)d requests declined.", num_parent_objects
        ) % {"count": num_parent_objects}


BULK_ACTIONS = (ApproveRegistrationsBulkAction, DeclineRegistrationsBulkAction)


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
            ),
            pending=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.PENDING)
            ),
        )
        .filter(Q(waitlisted__gt=0) | Q(pending__gt=0))
        .only("pk", "title", "start")
    )
    listing = reverse("meeting_registrations:index")
    items = [
        WaitingItem(
            ngettext(
                "%(meeting)s: %(counter)s request awaiting approval",
                "%(meeting)s: %(counter)s requests awaiting approval",
                meeting.pending,
            )
            % {"meeting": meeting.title, "counter": meeting.pending},
            f"{listing}?{urlencode({'meeting': meeting.pk, 'status': 'pending'})}",
        )
        for meeting in meetings
        if meeting.pending
    ] + [
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
        if meeting.waitlisted
    ]
    if not items:
        return None
    return WaitingPanel(
        name="meeting_waitlists", heading=_("Waitlists of upcoming meetings"), items=items, order=52
    )
