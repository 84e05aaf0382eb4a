"""The physician's side of a query: answering it from the case's summary."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessment.services import Refused
from assessment.views import _own_assessment as own_assessment
from review import services


@require_POST
@never_cache
def answer(request, pk, query_id):
    assessment = own_assessment(request, pk)
    query = get_object_or_404(assessment.queries, pk=query_id)
    try:
        services.answer(query, request.user, request.POST.get("text", ""))
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Answered: the reviewer sees it in the admin.")
    return redirect("assessment:summary", pk=assessment.pk)
