"""A formal decision's text gets a key to the item that will carry it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0002_initial'),
        ('items', '0002_content_carrier'),
    ]

    operations = [
        migrations.AddField(
            model_name='formaldecision',
            name='text_item',
            field=models.ForeignKey(help_text='What was decided, carried as an item: a decision whose text the reader may not read is not shown to them at all.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.informationitem'),
        ),
    ]
