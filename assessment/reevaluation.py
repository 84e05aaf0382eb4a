"""Stored cases follow the rules: re-evaluate every case stored under another criteria version.

Each case stores the evaluation it was last saved with (`services.store_evaluation`): the list,
the admin's filters and the exports read it. When the rules change (a new `CRITERIA_VERSION`),
`reevaluate` evaluates each such case again, stores the new verdict, Japanese result, warnings
and version, and leaves a `RuleChangeNotice` for its physician when the primary verdict or the
Japanese result changed, or when the current rules refuse the stored findings.

Only the stored evaluation changes: never a finding, the version number a page's save is checked
against, or a signature (a signed case keeps the verdict it was signed with, beside the new one).
Every update is a row of the audit trail, made in a context that names the revision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context

import pghistory
from django.db import connection, transaction
from django.utils import timezone

from assessment.criteria import CATALOGUE, CRITERIA_VERSION, changes_since
from assessment.criteria.stored import evaluate_stored
from assessment.criteria.version import release_of
from assessment.models import Assessment, RuleChangeNotice
from assessment.services import findings_from

BATCH_SIZE = 2000
_KEYS = tuple(finding.key for finding in CATALOGUE)
_COLUMNS = (
    "pk",
    "version",
    "criteria_version",
    "primary_verdict",
    "japan_result",
    "withdrawn_at",
    *_KEYS,
)


@dataclass
class Outcome:
    """What one run did: cases re-evaluated, results changed, findings now refused."""

    reevaluated: int = 0
    changed: int = 0
    refused: int = 0


def stale_cases():
    """The cases whose stored evaluation was made under another criteria version."""
    return Assessment.objects.exclude(criteria_version=CRITERIA_VERSION)


def revision_of(criteria_version: str) -> tuple[date, str]:
    """The date and the one-line description of what changed since `criteria_version`."""
    changes = changes_since(criteria_version)
    if not changes:
        release = release_of(CRITERIA_VERSION)
        return timezone.localdate(), f"A correction within release {release} of the rules."
    return changes[-1].date, " ".join(change.summary for change in changes)


def reevaluate(
    batch_size: int = BATCH_SIZE, progress: Callable[[int, int], None] | None = None
) -> Outcome:
    """Re-evaluate every stale case, a batch per transaction; running it again does nothing.

    With more than one batch to do, the engine runs in a process of its own on the next batch
    while this one writes the last, so the evaluation (Python) and the writes (PostgreSQL)
    overlap instead of taking turns.
    """
    outcome = Outcome()
    total = stale_cases().count()
    reported = []

    def report(done: int) -> None:
        if progress and total and (not reported or reported[-1] != done):
            progress(done, total)
            reported.append(done)

    report(0)
    with _engine(separate_process=total > batch_size) as submit:
        pending = None
        for batch in _batches(batch_size):
            evaluating = submit([_findings(row) for row in batch])
            if pending:
                _write(*pending, outcome)
                report(min(outcome.reevaluated, total))
            pending = (batch, evaluating)
        if pending:
            _write(*pending, outcome)
    # Cases saved meanwhile were skipped, not re-evaluated here: the work is done all the same.
    report(total)
    return outcome


@contextmanager
def _engine(*, separate_process: bool):
    """`submit(cases)` → a future of their stored evaluations."""
    if not separate_process:

        def submit(cases):
            done = Future()
            done.set_result(evaluate_stored(cases))
            return done

        yield submit
        return
    # Spawned, not forked: the engine needs no Django and must not share this process's
    # database connection.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        yield lambda cases: pool.submit(evaluate_stored, cases)


def _batches(batch_size: int) -> Iterator[list[tuple]]:
    """Stale rows in id order, a batch at a time (keyset pagination: no OFFSET scan)."""
    last = None
    while True:
        rows = stale_cases().order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows.values_list(*_COLUMNS)[:batch_size])
        if not batch:
            return
        last = batch[-1][0]
        yield batch


def _findings(row: tuple) -> dict:
    """The engine's input from a row's finding columns."""
    return findings_from(row[len(_COLUMNS) - len(_KEYS) :])


def _write(batch: list[tuple], evaluating: Future, outcome: Outcome) -> None:
    with transaction.atomic(), pghistory.context(rule_revision=CRITERIA_VERSION):
        _write_batch(batch, evaluating.result(), outcome)


def _write_batch(batch: list[tuple], evaluations: list, outcome: Outcome) -> None:
    updates, notices = [], {}
    for row, new in zip(batch, evaluations, strict=True):
        pk, version, old_version, old_primary, old_japan, withdrawn_at = row[:6]
        updates.append((pk, version, old_version, new.primary, new.japan, list(new.warning_ids)))
        # A Japanese result stored as blank was never recorded: nothing to compare it with.
        japan_changed = bool(old_japan) and new.japan != old_japan
        if withdrawn_at is None and (new.refused or new.primary != old_primary or japan_changed):
            changed_on, summary = revision_of(old_version)
            notices[pk] = RuleChangeNotice(
                assessment_id=pk,
                from_version=old_version,
                to_version=CRITERIA_VERSION,
                changed_on=changed_on,
                change_summary=summary,
                primary_before=old_primary,
                primary_after=new.primary,
                japan_before=old_japan,
                japan_after=new.japan,
                refused=new.refused,
            )
    updated = _store(updates)
    outcome.reevaluated += len(updated)
    kept = [notices[pk] for pk in updated if pk in notices]
    outcome.changed += sum(not notice.refused for notice in kept)
    outcome.refused += sum(bool(notice.refused) for notice in kept)
    RuleChangeNotice.objects.bulk_create(kept, ignore_conflicts=True)


def _store(updates: list[tuple]) -> set:
    """Write each case's new evaluation in one statement; return the ids written.

    A case saved since it was read (its version or criteria version moved) is left alone: the
    save evaluated it under the current rules already.
    """
    if not updates:
        return set()
    table = Assessment._meta.db_table
    rows = ", ".join(["(%s::uuid, %s::integer, %s, %s, %s, %s::varchar[])"] * len(updates))
    params = [value for update in updates for value in update]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS a SET primary_verdict = v.primary_verdict, "  # noqa: S608
            "japan_result = v.japan_result, warning_ids = v.warning_ids, criteria_version = %s "
            f"FROM (VALUES {rows}) AS v(id, version, old_version, primary_verdict, japan_result, "
            "warning_ids) WHERE a.id = v.id AND a.version = v.version "
            "AND a.criteria_version = v.old_version RETURNING a.id",
            [CRITERIA_VERSION, *params],
        )
        return {row[0] for row in cursor.fetchall()}


def unseen_notices(assessment: Assessment):
    return assessment.rule_change_notices.filter(seen_at__isnull=True).order_by("created_at")


@transaction.atomic
def mark_seen(notice: RuleChangeNotice, user) -> None:
    """The physician has read the notice: it leaves the list and the summary (it is audited)."""
    if notice.seen_at is None:
        notice.seen_at = timezone.now()
        notice.seen_by = user
        notice.save(update_fields=["seen_at", "seen_by"])
