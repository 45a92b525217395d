"""The decision text now lives in its item: the old column goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0003_content_text_item'),
        ('cases', '0003_content_texts_to_items'),
    ]

    operations = [
        migrations.RemoveField(model_name='formaldecision', name='text'),
    ]
