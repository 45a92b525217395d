from django.db import migrations, models


def intelligence_memberships_are_discreet(apps, schema_editor):
    """What the product now promises from the start: intelligence services are discreet members
    (except when they lead the case, which every member knows)."""
    Membership = apps.get_model("cases", "Membership")
    (Membership.objects.filter(agency__kind="intelligence")
     .exclude(agency_id=models.F("case__lead_agency_id")).update(discreet=True))
    # The texts naming a discreet member move only by the originator's disclosure.
    texts = Membership.objects.filter(discreet=True).values_list("responsibilities_item_id", "end_item_id")
    ids = {pk for pair in texts for pk in pair if pk is not None}
    apps.get_model("items", "InformationItem").objects.filter(pk__in=ids).update(orcon=True)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_content_drop_texts"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="discreet",
            field=models.BooleanField(
                default=False,
                help_text="Listed only to the agency's own people and to the core members "
                          "(casebridge.policy.listing). Intelligence services are discreet unless the "
                          "coordinator decides otherwise."),
        ),
        migrations.RunPython(intelligence_memberships_are_discreet, migrations.RunPython.noop),
    ]
