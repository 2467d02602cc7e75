"""The programme of a meeting: a StreamField of timed items.

Blocks never read settings (that would produce a new migration whenever they change).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ProgrammeItemKind:
    """The kinds of programme item; the value is stored in the StreamField JSON."""

    TALK = "talk"
    WORKSHOP = "workshop"
    BREAK = "break"
    MEAL = "meal"
    NETWORKING = "networking"

    choices = [
        (TALK, _("Talk")),
        (WORKSHOP, _("Workshop")),
        (BREAK, _("Break")),
        (MEAL, _("Meal")),
        (NETWORKING, _("Networking")),
    ]
    labels = dict(choices)


class SpeakerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=200)
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    organisation = blocks.CharBlock(label=_("Organisation"), max_length=200, required=False)

    class Meta:
        icon = "user"
        label = _("Speaker")
        template = "meetings/blocks/speaker_block.html"
        preview_value = {
            "name": "Sara Sørensen",
            "title": "Boligsocial chef",
            "organisation": "Odense Kommune",
        }


class ProgrammeItemValue(blocks.StructValue):
    @property
    def kind_label(self) -> str:
        return str(ProgrammeItemKind.labels.get(self.get("kind"), ""))

    @property
    def is_pause(self) -> bool:
        """Breaks and meals are shown more quietly in the timetable."""
        return self.get("kind") in (ProgrammeItemKind.BREAK, ProgrammeItemKind.MEAL)

    @property
    def duration_minutes(self) -> int | None:
        start, end = self.get("start_time"), self.get("end_time")
        if not (start and end):
            return None
        return int(
            (
                datetime.datetime.combine(datetime.date.min, end)
                - datetime.datetime.combine(datetime.date.min, start)
            ).total_seconds()
            // 60
        )


PREVIEW_ITEM = {
    "start_time": datetime.time(10, 0),
    "end_time": datetime.time(10, 45),
    "title": "Boligsocial monitorering i praksis",
    "kind": ProgrammeItemKind.TALK,
    "description": "<p>Hvordan følger kommunen med i udviklingen i de enkelte boligafdelinger?</p>",
    "speakers": [
        {
            "name": "Sara Sørensen",
            "title": "Boligsocial chef",
            "organisation": "Odense Kommune",
        }
    ],
}


class ProgrammeItemBlock(blocks.StructBlock):
    start_time = blocks.TimeBlock(label=_("Start"), format="%H:%M")
    end_time = blocks.TimeBlock(label=_("End"), format="%H:%M")
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=ProgrammeItemKind.choices, default=ProgrammeItemKind.TALK
    )
    description = blocks.RichTextBlock(
        label=_("Description"), required=False, features=["bold", "italic", "link", "ul"]
    )
    speakers = blocks.ListBlock(SpeakerBlock(), label=_("Speakers"), default=[])

    class Meta:
        icon = "time"
        label = _("Programme item")
        value_class = ProgrammeItemValue
        template = "meetings/blocks/programme_item_block.html"
        # The item renders as a table row; the preview puts it in a table.
        preview_template = "meetings/blocks/preview.html"
        form_classname = "programme-item"
        preview_value = PREVIEW_ITEM
        preview_description = _("One item in a meeting's timetable.")

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("start_time"), value.get("end_time")
        if start and end and end <= start:
            raise blocks.StructBlockValidationError(
                block_errors={"end_time": ValidationError(_("The end must be after the start."))}
            )
        return value


class ProgrammeBlock(blocks.StreamBlock):
    item = ProgrammeItemBlock()

    class Meta:
        template = "meetings/blocks/programme_block.html"
        preview_value = [("item", PREVIEW_ITEM)]
