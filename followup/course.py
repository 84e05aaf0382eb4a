"""The course page's content, for the page and the PDF alike: the staging summary and the
visits with every figure the follow-up engine computed, in the clinic's words."""

from __future__ import annotations

from typing import Any

from assessment.models import Assessment
from assessment.wording import choice_label
from assessment.wording import say as say_finding
from followup import presentation as words
from followup import services
from followup.forms import problem_text
from followup.models import FollowUpVisit
from followup.plots import Point, plot

_PROGRESSION = FollowUpVisit._meta.get_field("clinician_assessed_progression")


def _shown(key: str, value) -> str:
    if value is None:
        return "not recorded"
    return f"{value:g}" if isinstance(value, float) else say_finding(key, value)


def _factors(output: dict, findings: dict) -> list[dict]:
    return [
        {
            "id": key,
            "title": factor.title,
            "code": output["prognostic_factors"][key],
            "value": words.FLAG_LABELS[output["prognostic_factors"][key]],
            "cut_off": factor.cut_off,
            "inputs": [(say_finding(k, None), _shown(k, findings.get(k))) for k in factor.values],
            "sources": words.sources(factor.sources),
        }
        for key, factor in words.FACTORS.items()
    ]


def _comparable_text(comparison: dict, earlier: dict, now: dict, earlier_name: str) -> str:
    phrases = []
    for code in comparison["reasons"]:
        if code == "sample_differs":
            phrases.append(f"{earlier['vegf_sample']} at {earlier_name}, {now['vegf_sample']} now")
        elif code == "assay_differs":
            phrases.append(
                f"assay “{earlier['vegf_assay']}” at {earlier_name}, “{now['vegf_assay']}” now"
            )
        else:
            phrases.append(words.REASONS[code])
    label = words.COMPARABLE_LABELS[comparison["comparable"]]
    return f"{label}: {'; '.join(phrases)}" if phrases else label


def _percent(value) -> str:
    return "—" if value is None else f"{value:+.1f} %"


def _rows(course: services.Course) -> list[dict]:
    rows = []
    output, findings = course.output, course.findings
    for visit, raw, computed in zip(course.visits, course.inputs, output["visits"], strict=True):
        vegf = computed["vegf"]
        row = {
            "visit": visit,
            "date": raw["visit_date"],
            "computed": computed,
            "treatments": visit.treatments_shown(),
            "progression": choice_label(_PROGRESSION, visit.clinician_assessed_progression),
        }
        if vegf:
            nadir = vegf["vs_nadir"]
            row["vegf"] = {
                "value": f"{vegf['value_pg_ml']:g} pg/mL",
                "vs_baseline": _comparable_text(vegf["vs_baseline"], findings, raw, "baseline"),
                "change": _percent(vegf["vs_baseline"]["percent_change"]),
                "nadir": (
                    f"{nadir['nadir_pg_ml']:g} pg/mL ({nadir['nadir_from']}), "
                    f"{_percent(nadir['percent_change'])}"
                    if nadir["status"] == "determined"
                    else {"unknown": "not known", "none": "no comparable earlier value"}[
                        nadir["status"]
                    ]
                ),
                "within": words.WITHIN_LABELS[vegf["within_lab_range"]["value"]],
                "within_reasons": words.reasons_text(vegf["within_lab_range"]["reasons"]),
            }
        onls = computed["onls"]
        row["onls"] = {
            "total": "—" if onls["total"] is None else onls["total"],
            "change": "—" if onls["change"] is None else f"{onls['change']:+d}",
            "direction": words.DIRECTION_LABELS[onls["direction"]],
        }
        row["ife"] = words.IFE_LABELS[computed["ife_status"]]
        row["notes"] = words.notes(computed["notes"])
        rows.append(row)
    return rows


def _vegf_plot(assessment: Assessment, course: services.Course):
    points, findings = [], course.findings
    baseline = services.baseline_vegf_pg_ml(findings)
    if baseline is not None:
        points.append(
            Point(
                assessment.assessment_date,
                baseline,
                "baseline",
                True,
                limit=services.baseline_vegf_pg_ml(findings, "vegf_lab_uln"),
            )
        )
    for visit, raw, computed in zip(
        course.visits, course.inputs, course.output["visits"], strict=True
    ):
        vegf = computed["vegf"]
        if vegf is None:
            continue
        comparison = vegf["vs_baseline"]
        points.append(
            Point(
                visit.visit_date,
                vegf["value_pg_ml"],
                visit.visit_date.isoformat(),
                comparison["comparable"] == "yes",
                ""
                if comparison["comparable"] == "yes"
                else words.reasons_text(comparison["reasons"]),
                services.baseline_vegf_pg_ml(raw, "vegf_lab_uln"),
            )
        )
    return points, plot(
        points,
        title="VEGF over time (pg/mL)",
        description=(
            "Values comparable with the baseline (same sample, assay not different, no "
            "bevacizumab) are joined; the others are hollow marks. Dashed ticks are each "
            "visit's own laboratory limit. The table below gives the same figures."
        ),
        unit="pg/mL",
        css="vegf-plot",
        most=None,
    )


def _onls_plot(assessment: Assessment, visits, output: dict):
    points = []
    first = output["visits"][0]["onls"]["baseline_total"] if output["visits"] else None
    if first is not None:
        points.append(Point(assessment.assessment_date, first, "baseline", True))
    for visit, computed in zip(visits, output["visits"], strict=True):
        if computed["onls"]["total"] is not None:
            points.append(
                Point(
                    visit.visit_date, computed["onls"]["total"], visit.visit_date.isoformat(), True
                )
            )
    return points, plot(
        points,
        title="ONLS total over time (0 to 12)",
        description="Arm plus leg score at the baseline and each visit; lower is less limitation.",
        unit="ONLS",
        css="onls-plot",
        most=12,
    )


def course_context(assessment: Assessment) -> dict[str, Any]:
    course = services.course_of(assessment)
    context: dict[str, Any] = {
        "assessment": assessment,
        "visits": course.visits,
        "can_add_visits": services.can_add_visits(assessment),
    }
    if course.output is None:
        context["course_problems"] = [problem_text(p) for p in course.problems]
        return context
    output, findings = course.output, course.findings
    vegf_points, vegf_svg = _vegf_plot(assessment, course)
    onls_points, onls_svg = _onls_plot(assessment, course.visits, output)
    extent = output["disease_extent"]
    after = output["post_asct_flags"]
    context.update(
        output=output,
        factors=_factors(output, findings),
        albumin=output["albumin_g_dl"],
        extent={
            "code": extent["value"],
            "value": words.EXTENT_LABELS[extent["value"]],
            "reasons": [words.REASONS[code] for code in extent["reasons"]],
        },
        workup=[
            {
                "item": entry["item"],
                "title": words.WORKUP_LABELS[entry["item"]][0],
                "status": entry["status"],
                "reason": words.WORKUP_REASONS[entry["reason"]],
                "sources": words.sources(words.WORKUP_LABELS[entry["item"]][1]),
            }
            for entry in output["baseline_workup"]
        ],
        post_transplant=None
        if after is None
        else [
            {
                "title": factor.title,
                "cut_off": factor.cut_off,
                "value": words.FLAG_LABELS[after[key]],
                "sources": words.sources(factor.sources),
            }
            for key, factor in words.POST_TRANSPLANT.items()
        ],
        notes=words.notes(output["notes"]),
        rows=_rows(course),
        vegf_points=vegf_points,
        vegf_svg=vegf_svg,
        onls_points=onls_points,
        onls_svg=onls_svg,
    )
    return context
