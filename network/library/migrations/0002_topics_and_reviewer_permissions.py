"""The fixed list of topics, and the review permissions for Wagtail's editor groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TOPICS = ["placement", "reception", "allocation", "letting", "other"]
EDITOR_GROUPS = ["Editors", "Moderators"]
PERMISSIONS = ["view_agreement", "change_agreement"]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for order, code in enumerate(TOPICS):
        Topic.objects.update_or_create(code=code, defaults={"sort_order": order})


def grant_review_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    app_config = apps.get_app_config("library")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="library", codename__in=PERMISSIONS
    )
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_topics, migrations.RunPython.noop),
        migrations.RunPython(grant_review_permissions, migrations.RunPython.noop),
    ]
