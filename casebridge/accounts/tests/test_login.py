from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PASSWORD


def _code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_password_then_totp_signs_petra_in_and_audits_it(client, cast):
    petra = cast["petra"]
    response = client.post("/accounts/login/", {"username": "petra", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/second-factor/"
    assert client.get("/").status_code == 302  # password alone is not enough
    response = client.post("/accounts/second-factor/", {"code": _code(petra)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(operation=Operation.LOGIN, actor_id=petra.pk).exists()
