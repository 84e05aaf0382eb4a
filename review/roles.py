"""The team's roles, as groups with permissions (created by migration 0002_roles).

An admin gives a person a role by putting them in its group (and, for every role but the
physician's, ticking "staff", which lets them into the admin). What each role may do is this
list and nothing more; tests/test_roles.py walks it. A change here needs a new migration that
runs 0002_roles's `create_roles` again, so that existing databases follow.
"""

# Reading the audit trail: the assessments' events, their accesses and rule-change notices.
_AUDIT = [
    "assessment.view_assessmentevent",
    "assessment.view_accessevent",
    "assessment.view_rulechangenotice",
]

ROLES: dict[str, list[str]] = {
    # Their own cases, in the app (which asks for no permission): no admin.
    "Physicians": [],
    # Read every case, review it, ask the physician; no edits, no unlock.
    "Reviewers": [
        "assessment.view_assessment",
        "followup.view_followupvisit",
        "assessment.review_assessment",
        "review.view_query",
        "review.view_querymessage",
        *_AUDIT,
    ],
    # Exports and imports: every case read only, and a centre's cases brought in as drafts.
    # Their own jobs come with the export.
    "Data managers": [
        "assessment.view_assessment",
        "assessment.export_assessments",
        "assessment.import_assessments",
    ],
    # Everything of the above, corrections, unlocking, and the people.
    "Admins": [
        "assessment.view_assessment",
        "followup.view_followupvisit",
        "assessment.change_assessment",
        "assessment.delete_assessment",
        "assessment.review_assessment",
        "assessment.unlock_assessment",
        "assessment.export_assessments",
        "assessment.import_assessments",
        "review.view_query",
        "review.view_querymessage",
        *_AUDIT,
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        # Everyone's jobs (their state, not their files), and re-evaluation as a job.
        "jobs.view_every_job",
        "jobs.start_reevaluation",
    ],
}
