"""What a reviewer and a physician do with a query, as plain functions (views and the admin
call these)."""

from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment
from assessment.services import Refused, bounded
from review.models import Query, QueryMessage


@transaction.atomic
def open_query(assessment: Assessment, reviewer, text: str, finding: str = "") -> Query:
    text = bounded(text, "question")
    if not text:
        raise Refused("Write the question for the physician.")
    query = Query.objects.create(assessment=assessment, finding=finding, opened_by=reviewer)
    QueryMessage.objects.create(query=query, author=reviewer, text=text)
    return query


@transaction.atomic
def answer(query: Query, physician, text: str) -> QueryMessage:
    """The physician's answer (who may also correct the findings in the steps)."""
    if query.assessment.owner_id != physician.pk:
        raise Refused("Only the case's physician answers its queries.")
    return _add(query, physician, text, Query.Status.ANSWERED)


@transaction.atomic
def reply(query: Query, reviewer, text: str) -> QueryMessage:
    """The reviewer asks again: the query is open for the physician once more."""
    return _add(query, reviewer, text, Query.Status.OPEN)


def _add(query: Query, author, text: str, status: str) -> QueryMessage:
    text = bounded(text, "answer")
    if not text:
        raise Refused("Write the answer first.")
    query = Query.objects.select_for_update().get(pk=query.pk)
    if query.status == Query.Status.CLOSED:
        raise Refused("This query is closed.")
    message = QueryMessage.objects.create(query=query, author=author, text=text)
    query.status = status
    query.save(update_fields=["status"])
    return message


@transaction.atomic
def close(query: Query, reviewer) -> Query:
    query = Query.objects.select_for_update().get(pk=query.pk)
    if query.status != Query.Status.CLOSED:
        query.status = Query.Status.CLOSED
        query.closed_by = reviewer
        query.closed_at = timezone.now()
        query.save(update_fields=["status", "closed_by", "closed_at"])
    return query


def threads(assessment: Assessment):
    """The case's queries with their messages, oldest first."""
    return assessment.queries.prefetch_related("messages__author").select_related(
        "opened_by", "closed_by"
    )
