"""Let Wagtail's Editors and Moderators groups (the network coordinators) manage
organisations, affiliations, memberships and trial uses in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["organisation", "affiliation", "membership", "trialuse"]
ACTIONS = ["add", "change", "view"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them
    # now. The historical app config has no models module, which create_permissions
    # takes to mean "nothing to do".
    app_config = apps.get_app_config("network")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="network",
        codename__in=[f"{action}_{model}" for model in MODELS for action in ACTIONS],
    )
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="network")
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_municipalities"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
