from django.http import HttpResponse


def locked_out(request, *args, **kwargs):
    return HttpResponse("Account locked", status=429)
