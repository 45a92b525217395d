"""The free texts now live in their items: the old columns go."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_content_texts_to_items'),
    ]

    operations = [
        migrations.RemoveField(model_name='case', name='summary'),
        migrations.RemoveField(model_name='client', name='residency_note'),
        migrations.RemoveField(model_name='membership', name='responsibilities'),
        migrations.RemoveField(model_name='membership', name='end_reason'),
        migrations.RemoveField(model_name='teamassignment', name='handover_note'),
        migrations.RemoveField(model_name='phasechange', name='handover_note'),
    ]
