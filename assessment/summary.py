"""Arranging an evaluation for display: the criteria matrix and the references it cites.

Nothing here decides a criterion; it only lays out what the engine returned.
"""

from dataclasses import dataclass

from assessment.criteria import Evaluation, FindingsError
from assessment.criteria.criteria_sets import JAPAN_2015, SetResult
from assessment.criteria.sources import SOURCES, Source
from assessment.models import NOT_ASSESSED, Assessment
from assessment.services import evaluate_assessment
from assessment.steps import STEPS, Step
from assessment.wording import choice_label, problem_with_steps

STATUS_MARKS = {"yes": ("met", "✓"), "no": ("not met", "✗"), "unknown": ("unknown", "?")}


@dataclass(frozen=True)
class Cell:
    status: str  # yes / no / unknown, or "" when the item is not part of the set
    text: str
    mark: str


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    cells: tuple[Cell, ...]


NOT_PART = Cell("", "not part of this set", "—")


# Column headings: the primary set first, then the others from newest to oldest.
COLUMNS = {
    "dispenzieri_updated_2007_imwg2014": "Updated Dispenzieri (primary)",
    "japan_mhlw_2015": "Japan 2015",
    "dispenzieri_2003": "Dispenzieri 2003",
    "bardwick_1980_acronym": "1980 acronym",
}


def ordered_sets(evaluation: Evaluation) -> list[tuple[str, SetResult]]:
    """Each set with its short heading, in the order of COLUMNS."""
    return [(heading, evaluation.criteria_sets[key]) for key, heading in COLUMNS.items()]


def criteria_matrix(evaluation: Evaluation) -> list[Row]:
    """Items as rows in the primary set's order first; the sets as columns (COLUMNS order)."""
    sets = [result for _, result in ordered_sets(evaluation)]
    titles = {item.id: item.title for s in sets for item in s.items}
    by_set = [{item.id: item.status.value for item in s.items} for s in sets]
    rows = []
    for item_id, title in titles.items():
        cells = []
        for statuses in by_set:
            status = statuses.get(item_id)
            cells.append(Cell(status, *STATUS_MARKS[status]) if status else NOT_PART)
        rows.append(Row(item_id, title, tuple(cells)))
    return rows


def cited_sources(evaluation: Evaluation) -> list[tuple[str, Source]]:
    """Every reference that the shown sets, items and warnings cite, in source order."""
    tags = set()
    for result in evaluation.criteria_sets.values():
        tags.update(result.sources)
        for item in result.items:
            tags.update(item.sources)
    for warning in evaluation.warnings:
        tags.update(warning.sources)
    return [(tag, source) for tag, source in SOURCES.items() if tag in tags]


@dataclass(frozen=True)
class Because:
    """What decided a warning or an item: the findings recorded, and how many are not yet."""

    recorded: tuple[str, ...]  # "polyneuropathy: Yes", in the form's words
    not_assessed: int
    steps: tuple[Step, ...]  # where the findings not yet assessed are entered


def because(assessment: Assessment, keys: tuple[str, ...]) -> Because:
    """A rule looks at many findings; those not yet assessed are counted, not listed, so that
    the ones that decided it stand out."""
    recorded, missing = [], []
    for key in keys:
        value = getattr(assessment, key)
        if value is None or value == NOT_ASSESSED:
            missing.append(key)
        else:
            recorded.append(describe_findings(assessment, (key,)))
    steps = tuple(step for step in STEPS if any(key in step.fields for key in missing))
    return Because(tuple(recorded), len(missing), steps)


def describe_findings(assessment: Assessment, keys: tuple[str, ...]) -> str:
    """Findings in the form's words with their recorded values: "polyneuropathy: Yes"."""
    described = []
    for key in keys:
        field = Assessment._meta.get_field(key)
        value = getattr(assessment, key)
        if field.choices:
            shown = choice_label(field, value)
        else:
            shown = "not measured" if value is None else f"{value:g}"
        described.append(f"{field.verbose_name}: {shown}")
    return "; ".join(described)


@dataclass(frozen=True)
class SignedResult:
    """A signed case's verdicts as signed, beside the current rules' (None when refused now)."""

    primary: str
    japan: str
    criteria_version: str
    current_primary: str | None
    current_japan: str | None

    @property
    def differs(self) -> bool:
        return (self.primary, self.japan) != (self.current_primary, self.current_japan)


def signed_result(assessment: Assessment, evaluation: Evaluation | None) -> SignedResult | None:
    if assessment.signed_at is None:
        return None
    return SignedResult(
        assessment.signed_primary_verdict,
        assessment.signed_japan_result,
        assessment.signed_criteria_version,
        evaluation.primary.result if evaluation else None,
        evaluation.criteria_sets[JAPAN_2015.key].result if evaluation else None,
    )


def summary_context(assessment: Assessment) -> dict:
    """What the summary page, the PDF and the admin show; `problems` if findings contradict."""
    try:
        evaluation = evaluate_assessment(assessment)
    except FindingsError as error:
        return {
            "assessment": assessment,
            "problems": [problem_with_steps(problem) for problem in error.problems],
            "signed": signed_result(assessment, None),
        }
    return {
        "assessment": assessment,
        "evaluation": evaluation,
        "sets": ordered_sets(evaluation),
        "matrix": criteria_matrix(evaluation),
        "references": cited_sources(evaluation),
        "signed": signed_result(assessment, evaluation),
    }
