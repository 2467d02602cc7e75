"""Load Denmark's 98 municipalities with their codes, regions and e-mail domains."""

from django.db import migrations

# Plain data with no model imports, so reading it from the app is safe in a migration.
from network.data.municipalities import MUNICIPALITIES


def load(apps, schema_editor):
    Organisation = apps.get_model("network", "Organisation")
    OrganisationDomain = apps.get_model("network", "OrganisationDomain")
    for code, name, region, domain in MUNICIPALITIES:
        organisation, _created = Organisation.objects.update_or_create(
            municipality_code=code,
            defaults={"kind": "municipality", "name": name, "region": region},
        )
        OrganisationDomain.objects.get_or_create(organisation=organisation, domain=domain)


def unload(apps, schema_editor):
    Organisation = apps.get_model("network", "Organisation")
    Organisation.objects.filter(
        kind="municipality", municipality_code__in=[m[0] for m in MUNICIPALITIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
