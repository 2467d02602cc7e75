from django import forms
from django.contrib.auth import get_user_model
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from network.models import Affiliation, Organisation
from portal.forms import IdModelChoiceField

from .models import MeetingPage, Registration

User = get_user_model()

NO_ORGANISATION = ""


class ParticipantChoiceField(IdModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class RegistrationForm(forms.Form):
    """Who comes, through which organisation (as a member, with the free trial, or as a
    guest), and the answers to the meeting's questions. The rules themselves are checked
    by `services.register`."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=str, required=False)
    participant = ParticipantChoiceField(
        label=_("Who is coming?"),
        queryset=User.objects.none(),
        empty_label=None,
        help_text=_("Yourself, or a colleague from your organisation."),
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        max_length=300,
        required=False,
        help_text=_("E.g. vegetarian, gluten-free, allergies."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=300,
        required=False,
        help_text=_("E.g. wheelchair access, hearing loop."),
    )
    joins_dinner = forms.TypedChoiceField(
        label=_("Will you join the dinner?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, meeting: MeetingPage, user, options: dict, prefer_trial=False, **kw):
        super().__init__(*args, **kw)
        self.meeting = meeting
        self.user = user
        member_orgs = list(options["member_organisations"])
        trial_orgs = list(options["trial_organisations"])
        choices = [(str(org.pk), _("%(name)s (member)") % {"name": org}) for org in member_orgs]
        choices += [
            (str(org.pk), _("%(name)s (free trial meeting)") % {"name": org}) for org in trial_orgs
        ]
        self.organisations = {str(org.pk): org for org in member_orgs + trial_orgs}
        self.trial_keys = {str(org.pk) for org in trial_orgs}
        if options["is_open_to_all"]:
            for org in Organisation.objects.verified_for(user):
                if str(org.pk) not in self.organisations:
                    self.organisations[str(org.pk)] = org
                    choices.append((str(org.pk), _("%(name)s (guest)") % {"name": org}))
            choices.append((NO_ORGANISATION, _("No organisation (guest)")))
        self.fields["organisation"].choices = choices
        self.fields["organisation"].required = not options["is_open_to_all"]
        if prefer_trial and trial_orgs:
            self.fields["organisation"].initial = str(trial_orgs[0].pk)
        elif choices:
            self.fields["organisation"].initial = choices[0][0]

        colleagues = User.objects.filter(
            affiliations__organisation__in=list(self.organisations.values()),
            affiliations__status=Affiliation.Status.VERIFIED,
            is_active=True,
        )
        # Someone who already holds or waits for a seat is not offered again.
        already = Registration.objects.active().filter(meeting=meeting).values("person_id")
        participants = (
            (User.objects.filter(pk=user.pk) | colleagues)
            .exclude(pk__in=already)
            .distinct()
            .order_by("first_name", "last_name", "email")
        )
        self.fields["participant"].queryset = participants
        self.fields["participant"].initial = (
            user.pk if participants.filter(pk=user.pk).exists() else None
        )

        if not meeting.ask_dietary_needs:
            del self.fields["dietary_needs"]
        if not meeting.ask_accessibility_needs:
            del self.fields["accessibility_needs"]
        if not meeting.ask_joins_dinner:
            del self.fields["joins_dinner"]

    @cached_property
    def everyone_registered(self) -> bool:
        """Nobody left to offer under "Who is coming?"."""
        return not self.fields["participant"].queryset.exists()

    def clean(self):
        cleaned = super().clean()
        if self.everyone_registered:
            raise forms.ValidationError(
                _("Everyone you can register is already registered for this meeting."),
                code="all_registered",
            )
        return cleaned

    def clean_organisation(self):
        key = self.cleaned_data.get("organisation") or NO_ORGANISATION
        return self.organisations.get(key)

    @property
    def uses_trial(self) -> bool:
        org = self.cleaned_data.get("organisation")
        return org is not None and str(org.pk) in self.trial_keys

    @property
    def answers(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("dietary_needs", "accessibility_needs", "joins_dinner")
            if name in self.cleaned_data
        }


class SendColleagueForm(forms.Form):
    """Whom to hand a confirmed seat to: verified colleagues at the registration's
    organisation without a seat at the meeting (`services.colleagues_to_send`)."""

    colleague = ParticipantChoiceField(
        label=_("Colleague"),
        queryset=User.objects.none(),
        empty_label=_("Choose a colleague"),
        error_messages={"invalid_choice": _("Choose one of your colleagues from the list.")},
    )

    def __init__(self, *args, registration: Registration, **kwargs):
        from .services import colleagues_to_send

        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues_to_send(registration)


class DecisionForm(forms.Form):
    """The optional reason staff give when approving or declining requests."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Included in the e-mail to the person."),
    )
