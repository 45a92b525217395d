"""Each free text of the case record gets a key to the item that will carry it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0001_initial'),
        ('items', '0002_content_carrier'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='summary_item',
            field=models.ForeignKey(blank=True, help_text="The case summary, carried as an item.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.informationitem'),
        ),
        migrations.AddField(
            model_name='client',
            name='residency_item',
            field=models.ForeignKey(blank=True, help_text="The residency note, carried as an item.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.informationitem'),
        ),
        migrations.AddField(
            model_name='membership',
            name='responsibilities_item',
            field=models.ForeignKey(blank=True, help_text="What the agency does on the case, carried as an item.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.informationitem'),
        ),
        migrations.AddField(
            model_name='membership',
            name='end_item',
            field=models.ForeignKey(blank=True, help_text="Why the membership ended, carried as an item.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.informationitem'),
        ),
        migrations.AddField(
            model_name='teamassignment',
            name='handover_item',
            field=models.ForeignKey(blank=True, help_text="The leaver's handover note, carried as an item.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.informationitem'),
        ),
        migrations.AddField(
            model_name='phasechange',
            name='note_item',
            field=models.ForeignKey(blank=True, help_text="The handover note into the new phase, carried as an item.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.informationitem'),
        ),
    ]
