from datetime import timedelta

from django.db import migrations
from django.utils import timezone

# A token issued before its validity was capped could run until a day near 9999-12-31, a moment
# that cannot even be shown in local time (its practitioner's pages failed on every visit). Such a
# token gets the longest validity a new one may have, counted from this migration.
GRACE = timedelta(days=90)


def cap_far_future_tokens(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    cap = timezone.now() + GRACE
    ApiToken.objects.filter(expires_at__gt=cap).update(expires_at=cap)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_admin_token_expiry"),
    ]

    operations = [
        migrations.RunPython(cap_far_future_tokens, migrations.RunPython.noop),
    ]
