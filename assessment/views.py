import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.db import Error as DatabaseError
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import pdf, reevaluation, services
from assessment.counts import OwnAssessmentsPaginator
from assessment.criteria import FINDINGS, FindingsError
from assessment.forms import FORMS, as_posted
from assessment.models import AccessEvent, Assessment, RuleChangeNotice
from assessment.steps import STEPS, STEPS_BY_SLUG, next_step, previous_step
from assessment.summary import ordered_sets, summary_context
from assessment.wording import RESULT_LABELS, VERDICT_LABELS, problem_text
from review import services as review_services
from review.models import Query

PAGE_SIZE = 20


@require_GET
@never_cache
@login_not_required
def healthz(request):
    """Tell a load balancer or uptime monitor whether the app can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def _own_assessment(request, pk) -> Assessment:
    return services.own_assessment(request.user, pk)


@require_GET
@never_cache
def assessment_list(request):
    assessments = Assessment.objects.filter(owner=request.user)
    query = request.GET.get("q", "").strip()
    if "\x00" in query:
        # PostgreSQL text cannot hold a NUL, so no stored reference has one to match.
        assessments = assessments.none()
    elif query:
        assessments = assessments.filter(patient_reference__icontains=query)
    assessments = assessments.only(*_LIST_FIELDS).annotate(
        rules_changed=Exists(
            RuleChangeNotice.objects.filter(assessment=OuterRef("pk"), seen_at__isnull=True)
        ),
        query_open=Exists(Query.objects.filter(assessment=OuterRef("pk"), status="open")),
    )
    if query:
        paginator = Paginator(assessments, PAGE_SIZE)
    else:
        paginator = OwnAssessmentsPaginator(assessments, PAGE_SIZE, request.user)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "assessment/list.html", {"page": page, "query": query})


_LIST_FIELDS = (
    "id",
    "patient_reference",
    "assessment_date",
    "status",
    "primary_verdict",
    "updated_at",
)


@require_http_methods(["GET", "POST"])
@never_cache
def assessment_new(request):
    assessment = Assessment(owner=request.user, assessment_date=timezone.localdate())
    return _step_page(request, assessment, STEPS[0])


@require_http_methods(["GET", "POST"])
@never_cache
def assessment_step(request, pk, slug):
    assessment = _own_assessment(request, pk)
    if slug not in STEPS_BY_SLUG:
        raise Http404("No such step.")
    return _step_page(request, assessment, STEPS_BY_SLUG[slug])


def _step_page(request, assessment, step):
    form_class = FORMS[step.slug]
    status = 200
    if request.method == "POST" and assessment.is_locked:
        return render(request, "assessment/locked.html", {"assessment": assessment}, status=403)
    if request.method == "POST":
        form = form_class(request.POST, instance=assessment, step=step)
        action = request.POST.get("action", "continue")
        if form.is_valid():
            try:
                saved = services.save_step(
                    form.instance,
                    step,
                    completed=action == "continue",
                    seen_version=form.cleaned_data["version"],
                )
            except services.StaleAssessment as stale:
                mine = {
                    name: form.cleaned_data[name]
                    for name in step.fields
                    if name in form.cleaned_data
                }
                return _stale_page(request, stale, step, mine)
            except services.Refused:
                # Signed or withdrawn between loading the page and saving it.
                locked = {"assessment": _own_assessment(request, assessment.pk)}
                return render(request, "assessment/locked.html", locked, status=403)
            return redirect(_after_save(saved, step, action))
        status = 400
    else:
        form = form_class(instance=assessment, step=step)
    if assessment.is_locked:
        for field in form.fields.values():
            field.disabled = True
    saved = None if assessment._state.adding else assessment
    return _render_step(request, saved, step, form, status)


def _render_step(request, assessment, step, form, status, **extra):
    """The step page around `form`; `assessment` is None until the first save."""
    context = {
        "assessment": assessment,
        "step": step,
        "form": form,
        "steps": [(s, services.step_state(assessment, s)) for s in STEPS],
        "previous": previous_step(step),
        "live": live_verdict_of(assessment),
        "live_url": reverse("assessment:live", args=[assessment.pk, step.slug])
        if assessment
        else reverse("assessment:new_live"),
        **extra,
    }
    return render(request, "assessment/step.html", context, status=status)


def live_verdict_of(assessment) -> dict:
    """The live panel's content at the last save, before any answer changes it."""
    try:
        evaluation = services.evaluate_assessment(assessment or Assessment())
    except FindingsError as error:
        return {"problems": [problem_text(problem) for problem in error.problems]}
    return live_results(evaluation)


def live_results(evaluation) -> dict:
    sets = [
        {"key": result.key, "heading": heading, "result": result.result}
        for heading, result in ordered_sets(evaluation)
    ]
    for entry in sets:
        entry["label"] = RESULT_LABELS[entry["result"]]
    primary = sets[0]
    return {
        "primary": {"result": primary["result"], "label": VERDICT_LABELS[primary["result"]]},
        "sets": sets,
        "missing": len(evaluation.workup),
        "problems": [],
    }


@require_POST
@never_cache
def live_verdict(request, pk=None, slug=None):
    """The step's current inputs evaluated over the saved findings, as JSON; nothing is saved.

    The same form as the step's, so the same refusals, in the same words.
    """
    if pk is None:
        assessment, step = Assessment(owner=request.user), STEPS[0]
    else:
        assessment = _own_assessment(request, pk)
        step = STEPS_BY_SLUG.get(slug)
        if step is None:
            raise Http404("No such step.")
    if assessment.is_locked:
        return JsonResponse(live_verdict_of(assessment))
    form = FORMS[step.slug](request.POST, instance=copy.copy(assessment), step=step)
    form.is_valid()
    refused = [
        message
        for name, messages in form.errors.items()
        if name in FINDINGS or name == NON_FIELD_ERRORS
        for message in messages
    ]
    if refused:
        return JsonResponse({"problems": list(dict.fromkeys(refused))})
    values = {name: form.cleaned_data[name] for name in step.fields if name in FINDINGS}
    return JsonResponse(live_results(services.evaluate_unsaved(assessment, values)))


def _stale_page(request, stale, step, mine):
    """Refuse a save from a stale page (409): say what changed since, and merge.

    The form shows the row as it is now with what this person changed since their version
    (`services.merge_stale`), fields both changed marked as conflicts, and the current
    version, so a second, deliberate save after checking goes through. Nothing is saved here.
    """
    current = stale.current
    merge = services.merge_stale(current, stale.seen_version, mine)
    data = request.POST.copy()
    data["version"] = str(current.version)
    for name, value in merge.values.items():
        data[name] = as_posted(name, value)
    # The form writes the posted values onto its instance when it validates: give it a copy,
    # so the step list and title show the row as it is.
    form = FORMS[step.slug](data, instance=copy.copy(current), step=step)
    for conflict in merge.conflicts:
        if conflict.name in form.fields:
            form.fields[conflict.name].help_text = (
                f"Changed meanwhile from {conflict.then} to {conflict.theirs}; your "
                f"{conflict.mine} is kept here: choose before saving."
            )
    changes = services.changes_since(current, stale.seen_version)
    return _render_step(
        request,
        current,
        step,
        form,
        409,
        stale_changes=changes,
        stale_conflicts=merge.conflicts,
        stale=True,
    )


def _after_save(assessment, step, action) -> str:
    if action == "draft":
        return reverse("assessment:step", args=[assessment.pk, step.slug])
    if action == "back":
        earlier = previous_step(step) or step
        return reverse("assessment:step", args=[assessment.pk, earlier.slug])
    following = next_step(step)
    if action == "continue" and following:
        return reverse("assessment:step", args=[assessment.pk, following.slug])
    return reverse("assessment:summary", args=[assessment.pk])


@require_GET
@never_cache
def assessment_summary(request, pk):
    assessment = _own_assessment(request, pk)
    services.record_access(assessment, request.user, AccessEvent.Kind.SUMMARY)
    context = summary_context(assessment)
    context["steps"] = [(s, services.step_state(assessment, s)) for s in STEPS]
    context["edit_step"] = next(
        (s for s, state in context["steps"] if state != "complete"), STEPS[0]
    )
    context["notices"] = list(reevaluation.unseen_notices(assessment))
    context["queries"] = list(review_services.threads(assessment))
    context["answer_forms"] = True
    return render(
        request, "assessment/summary.html", context, status=409 if "problems" in context else 200
    )


@require_GET
@never_cache
def assessment_pdf(request, pk):
    """The summary as a PDF download; the download is recorded as an access."""
    assessment = _own_assessment(request, pk)
    try:
        document = pdf.pdf_of(assessment)
    except pdf.ContradictoryFindings:
        summary = reverse("assessment:summary", args=[assessment.pk])
        message = format_html(
            '<!doctype html><html lang="en"><title>No PDF</title><p>These findings contradict '
            'each other, so there is no evaluation to print. <a href="{}">Correct them from '
            "the summary.</a></p></html>",
            summary,
        )
        return HttpResponse(message, status=409)
    services.record_access(assessment, request.user, AccessEvent.Kind.PDF)
    disposition = content_disposition_header(True, pdf.pdf_filename(assessment))
    return HttpResponse(
        document, content_type="application/pdf", headers={"Content-Disposition": disposition}
    )


# A physician signs by re-entering their password; a few wrong tries lock signing for a while.
SIGN_ATTEMPTS = 5
SIGN_LOCKOUT_SECONDS = 15 * 60


@require_POST
@never_cache
def assessment_sign(request, pk):
    assessment = _own_assessment(request, pk)
    attempts_key = f"sign-attempts:{request.user.pk}"
    attempts = cache.get(attempts_key, 0)
    if attempts >= SIGN_ATTEMPTS:
        messages.error(request, "Too many wrong passwords: signing is paused for 15 minutes.")
        return redirect("assessment:summary", pk=assessment.pk)
    if not request.user.check_password(request.POST.get("password", "")):
        cache.set(attempts_key, attempts + 1, SIGN_LOCKOUT_SECONDS)
        messages.error(request, "That password is not right: the assessment was not signed.")
        return redirect("assessment:summary", pk=assessment.pk)
    cache.delete(attempts_key)
    try:
        services.sign(assessment, request.user)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Signed. The assessment is now read-only.")
    return redirect("assessment:summary", pk=assessment.pk)


@require_POST
@never_cache
def notice_seen(request, pk, notice_id):
    """The physician has read a rule-change notice: it leaves the list and the summary."""
    assessment = _own_assessment(request, pk)
    notice = get_object_or_404(assessment.rule_change_notices, pk=notice_id)
    reevaluation.mark_seen(notice, request.user)
    return redirect("assessment:summary", pk=assessment.pk)


@require_POST
@never_cache
def assessment_withdraw(request, pk):
    assessment = _own_assessment(request, pk)
    try:
        services.withdraw(assessment, request.user, request.POST.get("reason", ""))
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Withdrawn. It stays on record, marked as withdrawn.")
    return redirect("assessment:summary", pk=assessment.pk)


@require_POST
@never_cache
def assessment_delete(request, pk):
    assessment = _own_assessment(request, pk)
    try:
        services.delete_draft(assessment)
    except services.Refused as refused:
        messages.error(request, str(refused))
        return redirect("assessment:summary", pk=assessment.pk)
    messages.success(request, f"Draft {assessment.patient_reference} deleted.")
    return redirect("assessment:list")
