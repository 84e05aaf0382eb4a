"""Kleene three-valued logic (criteria.md 1.11): yes / no / unknown."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Tri(StrEnum):
    """A finding or criterion that is met, not met, or not yet known."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool | None) -> Tri:
        if value is None:
            return UNKNOWN
        return YES if value else NO


# Python 3.11 reads an enum member off its class about eight times slower than a global, and an
# evaluation compares statuses hundreds of times.
YES, NO, UNKNOWN = Tri.YES, Tri.NO, Tri.UNKNOWN


def at_least(k: int, values: Iterable[Tri]) -> Tri:
    """Yes when k are yes; no when fewer than k could still be yes; else unknown."""
    yes = unknown = 0
    for value in values:
        if value is YES:
            yes += 1
        elif value is UNKNOWN:
            unknown += 1
    if yes >= k:
        return YES
    if yes + unknown < k:
        return NO
    return UNKNOWN


def any_of(values: Iterable[Tri]) -> Tri:
    return at_least(1, values)


def all_of(values: Iterable[Tri]) -> Tri:
    values = list(values)
    return at_least(len(values), values)
