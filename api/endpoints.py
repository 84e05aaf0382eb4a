"""The versioned JSON API, /api/v1/: evaluate findings, and the caller's own assessments.

Each endpoint is a few lines over the services the pages use: the same ownership rule
(`services.own_assessment`), the same version check and locks (`services.save_findings`), the
same evaluation and PDF. Errors: api/errors.py.
"""

import json
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import NinjaAPI, Query, Status
from ninja.errors import HttpError

from api import errors
from api.auth import Session, Token, audited, require_write
from api.schemas import (
    EVALUATE_BODY,
    AssessmentIn,
    AssessmentOut,
    AssessmentSummaryOut,
    CourseOut,
    EvaluationOut,
    FindingsIn,
)
from api.throttle import PerPhysician
from assessment import pdf, services
from assessment.criteria import FindingsError, evaluate_document
from assessment.models import AccessEvent, Assessment
from followup.services import course_of

# Django's own limit on a request body (DATA_UPLOAD_MAX_MEMORY_SIZE) applies first; this one is
# on the cases of one evaluation, each a few kilobytes at most.
MOST_CASES = 1000
MOST_LISTED = 100

api = NinjaAPI(
    title="POEMS Assess API",
    version="1",
    description=(
        "Evaluate findings against the POEMS criteria sets, and work on your own assessments. "
        "Authenticate with a personal API token from your account page "
        "(`Authorization: Bearer poems_...`), or be signed in. Every error is "
        '`{"errors": [{"keys": [...], "message": "..."}]}`.'
    ),
    urls_namespace="api-v1",
    auth=[Token(), Session()],
    throttle=[PerPhysician()],
)
errors.install(api)


@api.post(
    "/evaluate",
    response=EvaluationOut | list[EvaluationOut],
    openapi_extra={"requestBody": EVALUATE_BODY},
    summary="Evaluate findings (contract.md); nothing is stored",
    tags=["evaluate"],
)
def evaluate(request):
    """One findings object, a vignette `{"id", "findings"}`, or a list of either (the answer is
    then a list in the same order). Invalid findings refuse the whole request: a 400 naming
    every problem's keys, and for a list the `case` index."""
    try:
        document = json.loads(request.body)
    except (ValueError, RecursionError):
        # ValueError: not JSON, or not UTF-8; RecursionError: nested past any findings.
        raise HttpError(400, "The body is not a JSON document of findings.") from None
    if isinstance(document, list) and len(document) > MOST_CASES:
        raise HttpError(400, f"At most {MOST_CASES} cases in one request.")
    return _evaluation(evaluate_document(document))


_OUT_FIELDS = [name for name in AssessmentOut.model_fields if name not in ("locked", "findings")]


def _evaluation(contract) -> JsonResponse:
    """The engine's contract output as it is: described by EvaluationOut in the document, and
    not passed through it, which would add absent optional fields as nulls (and time)."""
    return JsonResponse(contract, safe=False)


def _out(assessment: Assessment) -> dict:
    return {
        **{name: getattr(assessment, name) for name in _OUT_FIELDS},
        "locked": assessment.is_locked,
        "findings": services.findings_of(assessment),
    }


@api.get("/assessments", response=list[AssessmentSummaryOut], tags=["assessments"])
def assessment_list(request, offset: Query[int] = 0, limit: Query[int] = 20):
    """Your assessments, most recently saved first."""
    refused = [errors.error(["offset"], "Give an offset of 0 or more.")] if offset < 0 else []
    if not 1 <= limit <= MOST_LISTED:
        refused.append(errors.error(["limit"], f"Give a limit from 1 to {MOST_LISTED}."))
    if refused:
        raise errors.Refusal(422, refused)
    fields = [name for name in AssessmentSummaryOut.model_fields if name != "locked"]
    assessments = Assessment.objects.filter(owner=request.user).order_by("-updated_at", "-id")
    page = assessments.only(*fields, "signed_at", "withdrawn_at")[offset : offset + limit]
    return [{**{n: getattr(a, n) for n in fields}, "locked": a.is_locked} for a in page]


@api.post("/assessments", response={201: AssessmentOut}, tags=["assessments"])
def assessment_create(request, payload: AssessmentIn):
    """A new assessment of yours with these findings (a draft unless `complete`)."""
    require_write(request)
    assessment = Assessment(
        owner=request.user,
        patient_reference=payload.patient_reference,
        assessment_date=payload.assessment_date or timezone.localdate(),
    )
    _check_details(assessment)
    with audited(request):
        saved = services.save_findings(assessment, payload.findings, complete=payload.complete)
    return Status(201, _out(saved))


_DETAILS = ("patient_reference", "assessment_date")


def _check_details(assessment: Assessment) -> None:
    """The reference and date, by the model's own validators (the step page's)."""
    others = [field.name for field in Assessment._meta.fields if field.name not in _DETAILS]
    try:
        assessment.clean_fields(exclude=others)
    except ValidationError as error:
        raise errors.Refusal(
            422,
            [errors.error([name], " ".join(texts)) for name, texts in error.message_dict.items()],
        ) from None


@api.get("/assessments/{uuid:assessment_id}", response=AssessmentOut, tags=["assessments"])
def assessment_read(request, assessment_id: uuid.UUID):
    return _out(services.own_assessment(request.user, assessment_id))


@api.patch(
    "/assessments/{uuid:assessment_id}/findings", response=AssessmentOut, tags=["assessments"]
)
def findings_update(request, assessment_id: uuid.UUID, payload: FindingsIn):
    """Change findings: only those given; null or "unknown" clears one. `version` is the one
    you read: if the assessment was saved since, a 409 and nothing is saved."""
    require_write(request)
    assessment = services.own_assessment(request.user, assessment_id)
    with audited(request):
        saved = services.save_findings(
            assessment, payload.findings, seen_version=payload.version, complete=payload.complete
        )
    return _out(saved)


@api.get(
    "/assessments/{uuid:assessment_id}/evaluation", response=EvaluationOut, tags=["assessments"]
)
def evaluation_read(request, assessment_id: uuid.UUID):
    """The evaluation of the recorded findings by the current rules, as /evaluate gives it."""
    assessment = services.own_assessment(request.user, assessment_id)
    try:
        return _evaluation(services.evaluate_assessment(assessment).as_contract())
    except FindingsError as error:
        raise errors.Refusal(409, errors.of_problems(error.problems)) from None


@api.get("/assessments/{uuid:assessment_id}/course", response=CourseOut, tags=["follow-up"])
def course_read(request, assessment_id: uuid.UUID):
    """The follow-up visits as recorded and the follow-up engine's course over them
    (followup.md: staging, each visit's VEGF, ONLS and immunofixation figures), as the course
    page shows it. A 409 when the engine refuses the recorded baseline or visits."""
    assessment = services.own_assessment(request.user, assessment_id)
    course = course_of(assessment)
    if course.output is None:
        raise errors.Refusal(409, errors.of_problems(course.problems))
    visits = [
        {"id": visit.pk, "version": visit.version, "signed_at": visit.signed_at, **recorded}
        for visit, recorded in zip(course.visits, course.inputs, strict=True)
    ]
    return {"visits": visits, "course": course.output}


@api.get(
    "/assessments/{uuid:assessment_id}/pdf",
    response={200: None},
    openapi_extra={
        "responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}
    },
    tags=["assessments"],
)
def assessment_pdf(request, assessment_id: uuid.UUID):
    """The summary as a PDF, as the summary page's download (the signed one, once signed)."""
    assessment = services.own_assessment(request.user, assessment_id)
    try:
        document = pdf.pdf_of(assessment)
    except pdf.ContradictoryFindings as error:
        raise errors.Refusal(409, errors.of_problems(error.problems)) from None
    services.record_access(assessment, request.user, AccessEvent.Kind.PDF)
    disposition = content_disposition_header(True, pdf.pdf_filename(assessment))
    return HttpResponse(
        document, content_type="application/pdf", headers={"Content-Disposition": disposition}
    )
