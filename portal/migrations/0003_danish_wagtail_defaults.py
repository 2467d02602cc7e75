"""Danish names for the rows Wagtail's own migrations create in English.

Editors read them in the admin: "Send til Moderators approval" in the page editor's
action menu, "Exploring: Root" in the page explorer. (The groups "Editors" and
"Moderators" keep their names: code and tests look them up by name.) Only rows still carrying Wagtail's default name are renamed, so a name
an administrator chose is kept; reversing restores Wagtail's names.
"""

from django.db import migrations

RENAMES = {
    ("wagtailcore", "Workflow"): [("Moderators approval", "Godkendelse ved moderator")],
    ("wagtailcore", "Task"): [("Moderators approval", "Godkendelse ved moderator")],
}


def _rename(apps, forwards: bool):
    for (app, model), pairs in RENAMES.items():
        manager = apps.get_model(app, model).objects
        for english, danish in pairs:
            old, new = (english, danish) if forwards else (danish, english)
            if not manager.filter(name=new).exists():
                manager.filter(name=old).update(name=new)
    Page = apps.get_model("wagtailcore", "Page")
    old, new = ("Root", "Alle websteder") if forwards else ("Alle websteder", "Root")
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def forwards(apps, schema_editor):
    _rename(apps, True)


def backwards(apps, schema_editor):
    _rename(apps, False)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_pages_and_settings"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
