"""Nothing the follow-up feature says names a response category, a treatment choice, a regimen,
transplant eligibility or a risk group (followup.md 10): its templates, its labels and notes,
and every message of the engine."""

import ast
import re
from pathlib import Path

import pytest

from followup import presentation
from followup.engine import NOTES

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = re.compile(
    r"\b(CR|PR|PD|VGPR|sCR)\b"
    r"|complete response|partial response|progressive disease|stable disease|responder"
    r"|relapse|VEGF response|VEGF progression|regimen|eligib|recommend|risk group|risk score"
    r"|points score|should receive|should be treated|systemic therapy|second-line"
)


def forbidden(text: str) -> list[str]:
    return [match.group(0) for match in FORBIDDEN.finditer(text)]


def _labels():
    """The label tables presentation.py defines (not the cited titles it imports)."""
    for name, value in vars(presentation).items():
        if isinstance(value, dict) and name.isupper() and name != "SOURCES":
            yield name, repr(value)


def _strings(path: Path) -> str:
    """Every string a module can show: its literals, docstrings and comments left out."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return "\n".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    )


SCANNED = [
    *(
        pytest.param(path.read_text(), id=str(path.relative_to(REPO)))
        for path in sorted((REPO / "templates" / "followup").glob("*.html"))
    ),
    *(pytest.param(text, id=f"presentation.{name}") for name, text in _labels()),
    *(pytest.param(note.text, id=note.id) for note in NOTES.values()),
    # Every message the engine can give is a literal in these modules.
    *(
        pytest.param(_strings(REPO / "followup" / name), id=name)
        for name in (
            "engine/validation.py",
            "engine/evaluation.py",
            "engine/fields.py",
            "plots.py",
            "course.py",
            "forms.py",
            "services.py",
            "models.py",
        )
    ),
]


def test_the_scanner_catches_a_response_category():
    assert forbidden("a partial response (PR) after the new regimen") == [
        "partial response",
        "PR",
        "regimen",
    ]


@pytest.mark.parametrize("text", SCANNED)
def test_nothing_names_a_response_category_a_treatment_choice_or_a_risk_group(text):
    assert forbidden(text) == []
