"""Every refusal of the API in one JSON shape, naming the keys as the engine does:

    {"errors": [{"keys": ["light_chain"], "message": "..."}, ...]}

`keys` are the finding keys or request fields to correct (empty when no field is at fault); an
evaluation of a list of cases adds `case`, the index of the case, and `id`, its id if it has one.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from assessment import services
from assessment.criteria import DocumentError, FindingsError


def error(keys, message: str, **extra) -> dict:
    return {"keys": [str(key) for key in keys], "message": message, **extra}


def respond(api: NinjaAPI, request, status: int, errors: list[dict], **headers):
    response = api.create_response(request, {"errors": errors}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


class Refusal(Exception):
    """A refusal with its status and errors, already in the shape above."""

    def __init__(self, status: int, errors: list[dict]):
        super().__init__(status, errors)
        self.status, self.errors = status, errors


def of_problems(problems) -> list[dict]:
    """The engine's problems, each with the keys it names and its message."""
    return [error(problem.keys, problem.message) for problem in problems]


def _refusal(api, request, exc: Refusal):
    return respond(api, request, exc.status, exc.errors)


def _findings(api, request, exc: FindingsError):
    return respond(api, request, 400, of_problems(exc.problems))


def _document(api, request, exc: DocumentError):
    problems = []
    for entry in exc.problems:
        extra = {} if entry.index is None else {"case": entry.index}
        if entry.case_id is not None:
            extra["id"] = entry.case_id
        problems.append(error(entry.problem.keys, entry.problem.message, **extra))
    return respond(api, request, 400, problems)


def _location(loc) -> list[str]:
    """A request field's name: pydantic's location without "body" and the parameter's name."""
    parts = [str(part) for part in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts[:1] in (["query"], ["path"], ["header"]):
        parts = parts[1:]
    return [".".join(parts)] if parts else []


def _validation(api, request, exc: ValidationError):
    problems = [
        error(_location(e.get("loc", ())), e.get("msg", "is not valid")) for e in exc.errors
    ]
    return respond(api, request, 422, problems)


def _unauthenticated(api, request, exc):
    message = (
        "Sign in, or send a personal API token as 'Authorization: Bearer poems_...'; "
        "this one is missing, revoked, expired or not a token."
    )
    return respond(api, request, 401, [error([], message)], WWW_Authenticate="Bearer")


def _throttled(api, request, exc: Throttled):
    return respond(api, request, 429, [error([], "Too many requests: slow down and try again.")])


def _http_error(api, request, exc: HttpError):
    return respond(api, request, exc.status_code, [error([], str(exc))])


def _not_found(api, request, exc):
    return respond(api, request, 404, [error([], "No such assessment, or not yours.")])


def _stale(api, request, exc: services.StaleAssessment):
    message = (
        f"The assessment was saved elsewhere since version {exc.seen_version}: it is at version "
        f"{exc.current.version}. Read it again and apply your change to that version."
    )
    return respond(api, request, 409, [error(["version"], message)])


def _refused(api, request, exc: services.Refused):
    return respond(api, request, 403, [error([], str(exc))])


def _too_big(api, request, exc):
    return respond(api, request, 413, [error([], "The request body is too large.")])


def install(api: NinjaAPI) -> None:
    """Replace ninja's own error bodies with the shape above."""
    handlers = {
        Refusal: _refusal,
        FindingsError: _findings,
        DocumentError: _document,
        ValidationError: _validation,
        AuthenticationError: _unauthenticated,
        Throttled: _throttled,
        HttpError: _http_error,
        Http404: _not_found,
        services.StaleAssessment: _stale,
        services.Refused: _refused,
        RequestDataTooBig: _too_big,
    }
    for exception, handler in handlers.items():
        api.add_exception_handler(
            exception, lambda request, exc, handler=handler: handler(api, request, exc)
        )
