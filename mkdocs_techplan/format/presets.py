"""Ready-made sets of header fields and sections (`preset:` in `mkdocs.yml`).

Each item is taken from what the process asks of its authors, and says where. Template
sections that the format already has are not repeated (a KEP's "Risks and Mitigations" is
`risks`, its "Test Plan" is `testing`, an RFC's "Unresolved questions" are `open_questions`,
its "Summary" is `summary`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Preset:
    """Fields and sections as a site would write them under `fields:` and `sections:`."""

    fields: Mapping[str, Mapping[str, Any]]
    sections: Mapping[str, Mapping[str, Any]]
    source: str
    """Where the items come from, for the documentation."""


KEP = Preset(
    source=(
        "Kubernetes Enhancement Proposals: keps/NNNN-kep-template/kep.yaml (header) and "
        "keps/NNNN-kep-template/README.md (sections) in kubernetes/enhancements"
    ),
    fields={
        # kep.yaml: kep-number, owning-sig, participating-sigs, reviewers, approvers, stage,
        # latest-milestone; the KEP's tracking issue in kubernetes/enhancements.
        "kep_number": {"label": "KEP number", "type": "text"},
        "owning_sig": {"label": "Owning SIG", "type": "text"},
        "participating_sigs": {"label": "Participating SIGs", "type": "people"},
        "reviewers": {"label": "Reviewers", "type": "people"},
        "approvers": {"label": "Approvers", "type": "people"},
        "stage": {"label": "Stage", "type": "text"},
        "latest_milestone": {"label": "Latest milestone", "type": "text"},
        "tracking_issue": {"label": "Tracking issue", "type": "reference"},
    },
    sections={
        # README.md: Motivation (Goals, Non-Goals), Proposal (User Stories, Notes/Constraints/
        # Caveats), Design Details (Graduation Criteria, Upgrade / Downgrade Strategy, Version
        # Skew Strategy), Production Readiness Review Questionnaire, Implementation History,
        # Drawbacks, Alternatives, Infrastructure Needed.
        "motivation": {"title": "Motivation", "after": "header"},
        "goals": {"title": "Goals", "after": "motivation", "type": "list"},
        "non_goals": {"title": "Non-Goals", "after": "goals", "type": "list"},
        "proposal": {"title": "Proposal", "after": "non_goals"},
        "user_stories": {"title": "User Stories", "after": "proposal"},
        "notes_constraints_caveats": {
            "title": "Notes/Constraints/Caveats",
            "after": "user_stories",
        },
        "graduation_criteria": {"title": "Graduation Criteria", "after": "testing"},
        "upgrade_downgrade": {
            "title": "Upgrade / Downgrade Strategy",
            "after": "graduation_criteria",
        },
        "version_skew": {"title": "Version Skew Strategy", "after": "upgrade_downgrade"},
        "production_readiness": {
            "title": "Production Readiness Review Questionnaire",
            "after": "monitoring",
        },
        "drawbacks": {"title": "Drawbacks", "after": "risks"},
        "alternatives": {"title": "Alternatives", "after": "drawbacks"},
        "infrastructure_needed": {"title": "Infrastructure Needed", "after": "dependencies"},
        "implementation_history": {
            "title": "Implementation History",
            "after": "open_questions",
            "type": "table",
            "columns": ["date", "milestone"],
        },
    },
)

RFC = Preset(
    source=(
        "Rust RFCs: 0000-template.md in rust-lang/rfcs (header lines and sections), with "
        "Discussions-To and Backwards Compatibility from Python's PEP 12 template"
    ),
    fields={
        # 0000-template.md: Feature Name, RFC PR, Rust Issue (here: the tracking issue);
        # PEP 12: Discussions-To.
        "feature_name": {"label": "Feature name", "type": "text"},
        "rfc_pr": {"label": "RFC PR", "type": "reference"},
        "tracking_issue": {"label": "Tracking issue", "type": "reference"},
        "discussions_to": {"label": "Discussions-To", "type": "reference"},
    },
    sections={
        # 0000-template.md: Motivation, Guide-level explanation, Reference-level explanation,
        # Drawbacks, Rationale and alternatives, Prior art, Future possibilities;
        # PEP 12: Backwards Compatibility.
        "motivation": {"title": "Motivation", "after": "header"},
        "guide_level_explanation": {"title": "Guide-level explanation", "after": "motivation"},
        "reference_level_explanation": {
            "title": "Reference-level explanation",
            "after": "architecture",
        },
        "backwards_compatibility": {"title": "Backwards Compatibility", "after": "api"},
        "drawbacks": {"title": "Drawbacks", "after": "risks"},
        "rationale_and_alternatives": {"title": "Rationale and alternatives", "after": "drawbacks"},
        "prior_art": {"title": "Prior art", "after": "rationale_and_alternatives"},
        "future_possibilities": {"title": "Future possibilities", "after": "open_questions"},
    },
)

PRESETS: dict[str, Preset] = {"kep": KEP, "rfc": RFC}
"""The presets by the name `preset:` takes."""
