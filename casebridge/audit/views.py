from django.http import HttpResponse

from casebridge.permissions import requires
from casebridge.policy import Perm


@requires(Perm.AUDIT_READ)
def events(request):
    return HttpResponse("placeholder: replaced by the audit UI")
