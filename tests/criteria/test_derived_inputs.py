"""Each derived item (and the myeloma exclusion) declares the findings it is built from, and
none other changes it.

The data dictionary lists, for each CSV column, the items it feeds from these declarations: so
they are checked here against the items themselves, on findings drawn from the catalogue.
"""

from hypothesis import given, settings

from assessment.criteria import FINDINGS
from assessment.criteria.criteria_sets import MYELOMA_INPUTS, myeloma_criteria
from assessment.criteria.derived import ITEMS
from assessment.criteria.validation import Findings, parse_findings
from tests.criteria.strategies import valid_findings


def test_every_input_is_a_finding():
    for item in ITEMS:
        assert set(item.inputs) <= set(FINDINGS), item.id


@settings(max_examples=300, deadline=None)
@given(raw=valid_findings())
def test_an_item_depends_on_its_inputs_alone(raw):
    findings = parse_findings(raw)
    for item in ITEMS:
        only_inputs = Findings(
            {key: findings.get(key) for key in item.inputs if findings.get(key) is not None}
        )

        derived = item.derive(findings)

        assert item.derive(only_inputs) == derived, item.id
        assert set(derived.findings) <= set(item.inputs), item.id


@settings(max_examples=300, deadline=None)
@given(raw=valid_findings())
def test_the_myeloma_exclusion_depends_on_its_inputs_alone(raw):
    findings = parse_findings(raw)
    only_inputs = Findings(
        {key: findings.get(key) for key in MYELOMA_INPUTS if findings.get(key) is not None}
    )

    assert myeloma_criteria(only_inputs) == myeloma_criteria(findings)
    assert set(myeloma_criteria(findings).findings) <= set(MYELOMA_INPUTS)
