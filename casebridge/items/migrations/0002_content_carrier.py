"""What an item carries: an ordinary record, or a text of the case record held as an item."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('items', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='informationitem',
            name='carrier',
            field=models.CharField(choices=[('record', 'Information item'), ('case_summary', 'Case summary'), ('residency_note', 'Residency note'), ('phase_handover', 'Handover note of a phase change'), ('membership_responsibilities', 'Responsibilities of a member agency'), ('membership_end', 'Reason a membership ended'), ('team_handover', 'Handover note of a team member'), ('decision_text', 'Text of a formal decision')], default='record', max_length=40),
        ),
        migrations.AddIndex(
            model_name='informationitem',
            index=models.Index(fields=['case', 'carrier'], name='item_case_carrier'),
        ),
    ]
