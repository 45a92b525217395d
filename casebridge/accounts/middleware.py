from casebridge.vocabulary import Purpose

PURPOSE_HEADER = "HTTP_X_CASEBRIDGE_PURPOSE"


class PurposeMiddleware:
    """Attach the declared purpose to the request: from the session on the web (chosen in the
    header bar), from the X-Casebridge-Purpose header on the API. Unknown values fall back to
    case management; the API rejects them explicitly (see casebridge.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            raw = request.META.get(PURPOSE_HEADER, Purpose.CASE_MANAGEMENT)
        else:
            raw = request.session.get("purpose", Purpose.CASE_MANAGEMENT)
        request.purpose_raw = raw
        request.purpose = raw if raw in Purpose.values else Purpose.CASE_MANAGEMENT
        return self.get_response(request)
