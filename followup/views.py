"""The course page and the visit pages: short views behind the assessment's one access helper."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.models import AccessEvent
from assessment.services import Refused, record_access
from assessment.views import _own_assessment
from followup import services
from followup.course import course_context
from followup.forms import VisitForm
from followup.models import FollowUpVisit


def _own_visit(request, pk, visit_id) -> FollowUpVisit:
    """A visit of one's own assessment; any other is a 404."""
    return get_object_or_404(FollowUpVisit, pk=visit_id, assessment=_own_assessment(request, pk))


def _seen_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_GET
@never_cache
def course(request, pk):
    assessment = _own_assessment(request, pk)
    record_access(assessment, request.user, AccessEvent.Kind.SUMMARY)
    context = {"assessment": assessment, "course": course_context(assessment)}
    return render(request, "followup/course.html", context)


def _stale(request, assessment, stale):
    context = {"assessment": assessment, "visit": stale.current}
    return render(request, "followup/stale.html", context, status=409)


def _locked(request, assessment, refused):
    context = {"assessment": assessment, "message": str(refused)}
    return render(request, "followup/locked.html", context, status=403)


@require_http_methods(["GET", "POST"])
@never_cache
def visit_new(request, pk):
    assessment = _own_assessment(request, pk)
    if not services.can_add_visits(assessment):
        return _locked(request, assessment, Refused(services.NOT_DIAGNOSED))
    visit = FollowUpVisit(assessment=assessment)
    return _visit_page(request, assessment, visit, services.add_visit)


@require_http_methods(["GET", "POST"])
@never_cache
def visit_edit(request, pk, visit_id):
    visit = _own_visit(request, pk, visit_id)
    if request.method == "POST" and visit.is_locked:
        return _locked(
            request, visit.assessment, Refused("This visit is signed: it can no longer be changed.")
        )

    def save(edited):
        return services.save_visit(edited, _seen_version(request))

    return _visit_page(request, visit.assessment, visit, save)


def _visit_page(request, assessment, visit, save):
    status = 200
    if request.method == "POST":
        form = VisitForm(request.POST, instance=visit, assessment=assessment)
        if form.is_valid():
            try:
                save(form.instance)
            except services.StaleVisit as stale:
                return _stale(request, assessment, stale)
            except Refused as refused:
                return _locked(request, assessment, refused)
            messages.success(request, f"Visit of {form.instance.visit_date:%Y-%m-%d} saved.")
            return redirect("followup:course", pk=assessment.pk)
        status = 400
    else:
        form = VisitForm(instance=visit, assessment=assessment)
    if visit.pk and visit.is_locked:
        for field in form.fields.values():
            field.disabled = True
    context = {"assessment": assessment, "visit": visit, "form": form}
    return render(request, "followup/visit.html", context, status=status)


@require_POST
@never_cache
def visit_delete(request, pk, visit_id):
    visit = _own_visit(request, pk, visit_id)
    try:
        services.delete_visit(visit, _seen_version(request))
    except services.StaleVisit as stale:
        return _stale(request, visit.assessment, stale)
    except Refused as refused:
        return _locked(request, visit.assessment, refused)
    messages.success(request, f"Visit of {visit.visit_date:%Y-%m-%d} deleted.")
    return redirect("followup:course", pk=pk)


@require_POST
@never_cache
def visit_sign(request, pk, visit_id):
    visit = _own_visit(request, pk, visit_id)
    if not request.user.check_password(request.POST.get("password", "")):
        messages.error(request, "That password is not right: the visit was not signed.")
        return redirect("followup:course", pk=pk)
    try:
        services.sign_visit(visit, request.user, _seen_version(request))
    except services.StaleVisit as stale:
        return _stale(request, visit.assessment, stale)
    except Refused as refused:
        return _locked(request, visit.assessment, refused)
    messages.success(request, f"Visit of {visit.visit_date:%Y-%m-%d} signed: it is read-only.")
    return redirect("followup:course", pk=pk)
