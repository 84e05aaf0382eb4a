"""The POEMS criteria service: plain Python, no Django.

Findings in (criteria.md section 4 keys; a missing key is unknown), an evaluation out
(contract.md): four criteria sets with three-valued logic, what is missing and what to order,
and differential-diagnosis warnings.
"""

from .criteria_sets import CRITERIA_SETS, PRIMARY_SET
from .document import DocumentError, evaluate_document
from .evaluation import Evaluation, evaluate, evaluate_findings
from .findings import CATALOGUE, FINDINGS
from .logic import Tri
from .validation import Findings, FindingsError, Problem, parse_findings
from .version import CRITERIA_VERSION, RULE_CHANGES, RuleChange, changes_since

__all__ = [
    "CATALOGUE",
    "CRITERIA_SETS",
    "CRITERIA_VERSION",
    "DocumentError",
    "FINDINGS",
    "PRIMARY_SET",
    "RULE_CHANGES",
    "RuleChange",
    "Evaluation",
    "Findings",
    "FindingsError",
    "Problem",
    "Tri",
    "changes_since",
    "evaluate",
    "evaluate_document",
    "evaluate_findings",
    "parse_findings",
]
