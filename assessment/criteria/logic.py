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
            return cls.UNKNOWN
        return cls.YES if value else cls.NO


def at_least(k: int, values: Iterable[Tri]) -> Tri:
    """Yes when k are yes; no when fewer than k could still be yes; else unknown."""
    yes = unknown = 0
    for value in values:
        if value is Tri.YES:
            yes += 1
        elif value is Tri.UNKNOWN:
            unknown += 1
    if yes >= k:
        return Tri.YES
    if yes + unknown < k:
        return Tri.NO
    return Tri.UNKNOWN


def any_of(values: Iterable[Tri]) -> Tri:
    return at_least(1, values)


def all_of(values: Iterable[Tri]) -> Tri:
    values = list(values)
    return at_least(len(values), values)
