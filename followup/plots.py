"""Server-side SVG plots of the course: VEGF over time with each visit's laboratory limit, and
ONLS. No script, so the page's content security policy allows them, and WeasyPrint draws them in
the PDF. Each has a title and a description; the page gives the same figures as a table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


@dataclass(frozen=True)
class Point:
    date: datetime.date
    value: float
    label: str  # "baseline" or the visit date
    joined: bool  # comparable with the baseline: drawn on the joined line
    note: str = ""  # why it is not joined
    limit: float | None = None  # this visit's own laboratory limit


def _ticks(top: float) -> list[float]:
    step = 10 ** max(0, len(str(int(top))) - 1)
    while top / step > 6:
        step *= 2
    return [step * n for n in range(int(top // step) + 1)]


def plot(
    points: list[Point], *, title: str, description: str, unit: str, css: str, most: float | None
) -> SafeString:
    """A line of the joined points, the others as hollow marks, each limit as a dashed tick."""
    if not points:
        return SafeString("")
    first, last = min(p.date for p in points), max(p.date for p in points)
    span = max((last - first).days, 1)
    top = most or max([p.value for p in points] + [p.limit or 0 for p in points]) * 1.15 or 1

    def x(date: datetime.date) -> float:
        return LEFT + (date - first).days / span * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (1 - value / top) * (HEIGHT - TOP - BOTTOM)

    parts = [
        f'<svg class="course-plot {css}" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-labelledby="{css}-title {css}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{css}-title">{escape(title)}</title>',
        f'<desc id="{css}-desc">{escape(description)}</desc>',
    ]
    for tick in _ticks(top):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" font-size="10" text-anchor="end">'
            f"{tick:g}</text>"
        )
    parts.append(
        f'<text x="12" y="{TOP + 60}" font-size="10" transform="rotate(-90 12 {TOP + 60})">'
        f"{escape(unit)}</text>"
    )
    for point in points:
        parts.append(
            f'<text x="{x(point.date):.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="9" '
            f'text-anchor="middle">{escape(point.label)}</text>'
        )
        if point.limit is not None:
            parts.append(
                f'<line class="lab-limit" x1="{x(point.date) - 14:.1f}" '
                f'x2="{x(point.date) + 14:.1f}" y1="{y(point.limit):.1f}" '
                f'y2="{y(point.limit):.1f}" stroke="#b35900" stroke-dasharray="4 2" '
                f'data-limit="{point.limit:g}"><title>laboratory limit {point.limit:g} '
                f"{escape(unit)}</title></line>"
            )
    joined = [p for p in points if p.joined]
    if len(joined) > 1:
        path = " ".join(f"{x(p.date):.1f},{y(p.value):.1f}" for p in joined)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0d6efd" stroke-width="2"/>')
    for point in points:
        mark = 'fill="#0d6efd"' if point.joined else 'fill="#fff" stroke="#dc3545" stroke-width="2"'
        shown = f"{point.label}: {point.value:g} {unit}" + (
            f" ({point.note})" if point.note else ""
        )
        parts.append(
            f'<circle class="point{"" if point.joined else " not-joined"}" '
            f'cx="{x(point.date):.1f}" cy="{y(point.value):.1f}" r="4" {mark} '
            f'data-date="{point.date.isoformat()}" data-value="{point.value:g}" '
            f'data-joined="{"yes" if point.joined else "no"}"><title>{escape(shown)}</title>'
            "</circle>"
        )
    parts.append("</svg>")
    # Every text above is escaped; the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # noqa: S308
