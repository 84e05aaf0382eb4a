from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import Error as DatabaseError
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assessment.criteria import FindingsError
from assessment.forms import FORMS
from assessment.models import Assessment
from assessment.services import StaleAssessment, evaluate_assessment, save_step, step_state
from assessment.steps import STEPS, STEPS_BY_SLUG, next_step, previous_step
from assessment.summary import cited_sources, criteria_matrix, ordered_sets

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
    """The one way to reach an assessment: another physician's is a 404, never a 403."""
    return get_object_or_404(Assessment, pk=pk, owner=request.user)


@require_GET
@never_cache
def assessment_list(request):
    assessments = Assessment.objects.filter(owner=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        assessments = assessments.filter(patient_reference__icontains=query)
    page = Paginator(assessments.only(*_LIST_FIELDS), PAGE_SIZE).get_page(request.GET.get("page"))
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
    if request.method == "POST":
        form = form_class(request.POST, instance=assessment, step=step)
        action = request.POST.get("action", "continue")
        if form.is_valid():
            try:
                saved = save_step(
                    form.instance,
                    step,
                    completed=action == "continue",
                    seen_version=form.cleaned_data["version"],
                )
            except StaleAssessment:
                messages.error(
                    request,
                    "This assessment changed since you opened it (in another tab or by someone "
                    "else). Nothing was saved: the page now shows the latest version.",
                )
                return redirect("assessment:step", pk=assessment.pk, slug=step.slug)
            return redirect(_after_save(saved, step, action))
        status = 400
    else:
        form = form_class(instance=assessment, step=step)
    saved = None if assessment._state.adding else assessment
    context = {
        "assessment": saved,
        "step": step,
        "form": form,
        "steps": [(s, step_state(saved, s)) for s in STEPS],
        "previous": previous_step(step),
    }
    return render(request, "assessment/step.html", context, status=status)


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
    context = {"assessment": assessment, "steps": [(s, step_state(assessment, s)) for s in STEPS]}
    try:
        evaluation = evaluate_assessment(assessment)
    except FindingsError as error:
        # Stored findings that contradict each other (e.g. edited outside the form): say which.
        context["problems"] = error.problems
        return render(request, "assessment/summary.html", context, status=409)
    context.update(
        evaluation=evaluation,
        sets=ordered_sets(evaluation),
        matrix=criteria_matrix(evaluation),
        references=cited_sources(evaluation),
    )
    return render(request, "assessment/summary.html", context)
