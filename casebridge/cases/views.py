from django.http import HttpResponse

from casebridge.permissions import requires
from casebridge.policy import Perm


@requires(Perm.DASHBOARD_VIEW)
def dashboard(request):
    return HttpResponse("placeholder: replaced by the cases UI")


@requires(Perm.CASE_OPEN)
def open_case(request):
    return HttpResponse("placeholder: replaced by the cases UI")
