from django.http import HttpResponse

from casebridge.permissions import requires
from casebridge.policy import Perm


@requires(Perm.PRACTITIONER_MANAGE)
def home(request):
    return HttpResponse("placeholder: replaced by the administration UI")
