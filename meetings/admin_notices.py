"""Wagtail admin for meeting communication: the "Giv tilmeldte besked" screen offered right
after publishing a changed meeting (`meetings.notices`), and "Beskeder", where staff write
to a meeting's participants or a network's members (`meetings.messages`)."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

import portal.converters  # noqa: F401  (registers <id:...>)

from . import messages as message_service
from . import notices
from .access import can_send_change_notice, can_send_messages
from .models import MeetingMaterial, MeetingPage, Message

# --- Change notices ------------------------------------------------------------------------


class NoticeForm(forms.Form):
    audience = forms.ChoiceField(
        label=gettext_lazy("Who is told"),
        widget=forms.RadioSelect,
        initial="all",
        error_messages={"invalid_choice": gettext_lazy("Choose who is told.")},
    )
    note = forms.CharField(
        label=gettext_lazy("A few words from you (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown in the e-mail under the list of changes."),
    )

    def __init__(self, *args, counts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (
                "all",
                ngettext(
                    "Confirmed and waitlisted (%(count)d person)",
                    "Confirmed and waitlisted (%(count)d people)",
                    counts["all"],
                )
                % {"count": counts["all"]},
            ),
            (
                "confirmed",
                ngettext(
                    "Confirmed only (%(count)d person)",
                    "Confirmed only (%(count)d people)",
                    counts["confirmed"],
                )
                % {"count": counts["confirmed"]},
            ),
            (
                "waitlisted",
                ngettext(
                    "Waitlisted only (%(count)d person)",
                    "Waitlisted only (%(count)d people)",
                    counts["waitlisted"],
                )
                % {"count": counts["waitlisted"]},
            ),
        ]


class NoticeView(WagtailAdminTemplateMixin, TemplateView):
    """What changed since registrants were last told, who would be told, the e-mail as
    the first of them gets it; "Send" or "Do not send"."""

    template_name = "meetings/admin/notice.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(
            MeetingPage.objects.select_related("venue"), pk=kwargs["meeting_pk"]
        )
        if not can_send_change_notice(request.user, self.meeting):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Tell registrants")

    def get_page_subtitle(self):
        return self.meeting.title

    @cached_property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.meeting.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.edit_url, "label": self.meeting.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = notices.pending(self.meeting)
        counts = notices.counts(self.meeting)
        form = form or NoticeForm(counts=counts)
        audience = form.data.get("audience") if form.is_bound else "all"
        if audience not in notices.AUDIENCES:
            audience = "all"
        preview = None
        if pending:
            first = notices.recipients(self.meeting, audience).first()
            if first is not None:
                email = notices.build_email(
                    first, changes=pending.changes, note=form.data.get("note", "")
                )
                preview = {
                    "to": first.person,
                    "subject": email.subject,
                    "body": email.body,
                    "attachments": [name for name, _content, _type in email.attachments],
                }
        context.update(
            meeting=self.meeting,
            pending=pending,
            counts=counts,
            form=form,
            audience=audience,
            recipient_count=counts[audience],
            preview=preview,
            sequence=pending.state.sequence if pending.state else 0,
            history=notices.history(self.meeting),
            edit_url=self.edit_url,
        )
        return context

    def post(self, request, *args, **kwargs):
        counts = notices.counts(self.meeting)
        form = NoticeForm(request.POST, counts=counts)
        if "skip" in request.POST:
            if notices.skip_notice(meeting=self.meeting, by=request.user):
                admin_messages.success(
                    request, _("The changes are published; registrants were not told.")
                )
            return redirect(self.edit_url)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        sent = notices.send_notice(
            meeting=self.meeting,
            audience=form.cleaned_data["audience"],
            by=request.user,
            note=form.cleaned_data["note"].strip(),
        )
        if sent:
            admin_messages.success(
                request,
                ngettext(
                    "%(count)d registrant has been told about the changes.",
                    "%(count)d registrants have been told about the changes.",
                    sent,
                )
                % {"count": sent},
            )
        else:
            admin_messages.warning(request, _("Nobody was told: there was nothing to tell."))
        return redirect(self.edit_url)


def notice_url(meeting) -> str:
    return reverse("meetings_notices:notice", args=[meeting.pk])


@hooks.register("after_publish_page", order=100)
def offer_notice_after_publishing(request, page):
    """A changed meeting with registrants: straight to the choice of telling them."""
    if not isinstance(page.specific_deferred, MeetingPage):
        return None
    meeting = page.specific
    if not can_send_change_notice(request.user, meeting):
        return None
    if not notices.pending(meeting) or not notices.counts(meeting)["all"]:
        return None
    admin_messages.success(
        request,
        _("The meeting “%(title)s” is published. Its registrants have not been told yet.")
        % {"title": meeting.title},
    )
    return redirect(notice_url(meeting))


def summary_context(meeting, user) -> dict:
    """For the registration summary panel: changes not told, the latest notices."""
    return {
        "pending_changes": notices.pending(meeting).changes,
        "notice_url": notice_url(meeting) if can_send_change_notice(user, meeting) else "",
        "notice_history": notices.history(meeting),
    }


# --- Messages to people --------------------------------------------------------------------


class MessageForm(WagtailAdminModelForm):
    class Meta:
        model = Message
        fields = [
            "audience",
            "meeting",
            "network",
            "contact_persons_only",
            "subject",
            "body",
            "attachment",
        ]
        widgets = {"audience": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = Message.Audience.choices  # no blank choice
        self.fields["meeting"].queryset = MeetingPage.objects.order_by("-start")
        self.fields["meeting"].help_text = _("For the first three kinds of recipients.")
        self.fields["network"].help_text = _("For everyone in a network's member organisations.")
        self.fields["attachment"].queryset = MeetingMaterial.objects.select_related(
            "meeting"
        ).order_by("-meeting__start", "sort_order", "pk")
        self.fields["attachment"].label_from_instance = lambda m: f"{m.meeting.title}: {m.title}"
        # Django's own words for these are not in Danish.
        choose = _("Choose one of the options shown.")
        for name in ("audience", "meeting", "network", "attachment"):
            self.fields[name].error_messages["invalid_choice"] = choose

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("audience"):
            return cleaned
        errors = message_service.check(
            audience=cleaned.get("audience"),
            meeting=cleaned.get("meeting"),
            network=cleaned.get("network"),
            attachment=cleaned.get("attachment"),
        )
        for field, error in errors.items():
            self.add_error(field, error)
        if not errors and not self.recipients().exists():
            self.add_error("audience", _("Nobody would get this message."))
        return cleaned

    def recipients(self):
        data = self.cleaned_data
        return message_service.recipients_for(
            audience=data["audience"],
            meeting=data.get("meeting"),
            network=data.get("network"),
            contact_persons_only=data.get("contact_persons_only", False),
        )


class MessageCreateView(generic.CreateView):
    """Write, then "Show recipients and preview", then "Send to N people"."""

    template_name = "meetings/admin/message_create.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_send_messages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_error_message(self):
        return _("The message cannot be sent: see the errors below.")

    def form_valid(self, form):
        recipients = form.recipients()
        if "send" not in self.request.POST:
            return self.render_preview(form, recipients, recipients.count())
        data = form.cleaned_data
        try:
            self.object = message_service.create(
                by=self.request.user,
                subject=data["subject"],
                body=data["body"],
                audience=data["audience"],
                meeting=data.get("meeting"),
                network=data.get("network"),
                contact_persons_only=data.get("contact_persons_only", False),
                attachment=data.get("attachment"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        admin_messages.success(
            self.request,
            ngettext(
                "The message is on its way to %(count)d person.",
                "The message is on its way to %(count)d people.",
                self.object.recipient_count,
            )
            % {"count": self.object.recipient_count},
        )
        return redirect(reverse("meeting_messages:inspect", args=[self.object.pk]))

    def render_preview(self, form, recipients, count):
        preview = None
        first = recipients.first()
        if first is not None:
            unsaved = form.save(commit=False)
            email = message_service.build_email(unsaved, first)
            preview = {
                "to": first,
                "subject": email.subject,
                "body": email.body,
                "attachments": [name for name, _content, _type in email.attachments],
            }
        context = self.get_context_data(form=form)
        context.update(
            preview=preview,
            recipient_count=count,
            sample=list(recipients[:10]),
        )
        return self.render_to_response(context)


class MessageInspectView(generic.InspectView):
    template_name = "meetings/admin/message_inspect.html"

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):  # Wagtail would show "True"/"False"
            return _("yes") if value else _("no")
        return "\N{EN DASH}" if value in (None, "") else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recipients"] = self.object.recipients.select_related("person").order_by(
            "person__first_name", "person__last_name", "pk"
        )
        return context


class MessageViewSet(ModelViewSet):
    model = Message
    name = "meeting_messages"
    url_prefix = "meetings/messages"
    icon = "mail"
    menu_label = gettext_lazy("Messages")
    menu_order = 251
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = MessageCreateView
    inspect_view_class = MessageInspectView
    form_fields = MessageForm.Meta.fields
    list_per_page = 50
    search_fields = ["subject"]
    list_filter = ["audience"]
    list_display = [
        Column("subject", label=gettext_lazy("Subject"), sort_key="subject"),
        Column("audience_text", label=gettext_lazy("Recipients")),
        Column("recipient_count", label=gettext_lazy("Number")),
        Column("created_by", label=gettext_lazy("Sent by")),
        DateColumn("created_at", label=gettext_lazy("Sent"), sort_key="created_at"),
    ]
    inspect_view_fields = [
        "subject",
        "audience",
        "meeting",
        "network",
        "contact_persons_only",
        "attachment",
        "created_by",
        "created_at",
        "sent_at",
        "recipient_count",
    ]

    def get_form_class(self, for_update=False):
        return MessageForm

    def get_queryset(self, request):
        return Message.objects.select_related("meeting", "network", "created_by")


class MessagePermissionPolicy(ModelPermissionPolicy):
    """Those `access.can_send_messages` lets in may list, read and send messages; nobody
    edits or deletes a message that has gone out."""

    def user_has_permission(self, user, action):
        if action in ("add", "view", "inspect"):
            return can_send_messages(user)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Message, MessagePermissionPolicy(Message))


@hooks.register("register_admin_viewset")
def register_message_viewset():
    return MessageViewSet()


@hooks.register("register_admin_urls")
def register_notice_urls():
    urls = [path("<id:meeting_pk>/", NoticeView.as_view(), name="notice")]
    return [
        path(
            "meetings/notice/",
            include((urls, "meetings_notices"), namespace="meetings_notices"),
        )
    ]
