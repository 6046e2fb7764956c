"""Ready-made sets of header fields and sections (`preset:` in `mkdocs.yml`).

Each item is taken from what the process asks of its authors, and says where. Template
sections that the format already has are not repeated (a KEP's "Risks and Mitigations" is
`risks`, its "Test Plan" is `testing`, an RFC's "Unresolved questions" are `open_questions`,
its "Summary" is `summary`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Preset:
    """Fields and sections as a site would write them under `fields:` and `sections:`, with
    what a repository of such documents needs to be read as it stands."""

    fields: Mapping[str, Mapping[str, Any]]
    sections: Mapping[str, Mapping[str, Any]]
    source: str
    """Where the items come from, for the documentation."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """The documents' own keys, header labels and headings → plan keys, as `aliases:`."""
    statuses: Mapping[str, str] = field(default_factory=dict)
    """Statuses the documents use, with badge colours; added to the site's `statuses`."""
    companion: str | None = None
    """A file beside a `README.md` that makes the README a plan and holds its header
    (`kep.yaml`)."""


KEP = Preset(
    source=(
        "Kubernetes Enhancement Proposals: keps/NNNN-kep-template/kep.yaml (header) and "
        "keps/NNNN-kep-template/README.md (sections) in kubernetes/enhancements"
    ),
    fields={
        # Every key of kep.yaml as the template spells it (`-` and `_` are the same); title,
        # kep-number (the plan's id), authors, status and creation-date are the plan's own.
        "owning_sig": {"label": "Owning SIG", "type": "text"},
        "participating_sigs": {"label": "Participating SIGs", "type": "people"},
        "reviewers": {"label": "Reviewers", "type": "people"},
        "approvers": {"label": "Approvers", "type": "people"},
        "editor": {"label": "Editor", "type": "people"},
        "see_also": {"label": "See also", "type": "people"},
        "replaces": {"label": "Replaces", "type": "people"},
        "superseded_by": {"label": "Superseded by", "type": "people"},
        "stage": {"label": "Stage", "type": "text"},
        "latest_milestone": {"label": "Latest milestone", "type": "text"},
        "milestone": {"label": "Milestones", "type": "mapping"},
        "feature_gates": {"label": "Feature gates", "type": "data"},
        "disable_supported": {"label": "Disable supported", "type": "boolean"},
        "metrics": {"label": "Metrics", "type": "people"},
        "last_updated": {"label": "Last updated", "type": "date"},
        "tracking_issue": {"label": "Tracking issue", "type": "reference"},
    },
    sections={
        # README.md: Motivation (Goals, Non-Goals), Proposal (User Stories, Notes/Constraints/
        # Caveats), Design Details (Graduation Criteria, Upgrade / Downgrade Strategy, Version
        # Skew Strategy), Production Readiness Review Questionnaire, Implementation History,
        # Drawbacks, Alternatives, Infrastructure Needed.
        "motivation": {"title": "Motivation", "after": "release_signoff_checklist"},
        "release_signoff_checklist": {
            "title": "Release Signoff Checklist",
            "after": "header",
            "type": "checklist",
        },
        "goals": {"title": "Goals", "after": "motivation", "type": "list"},
        "non_goals": {"title": "Non-Goals", "after": "goals", "type": "list"},
        "proposal": {"title": "Proposal", "after": "non_goals"},
        "user_stories": {"title": "User Stories", "after": "proposal"},
        "notes_constraints_caveats": {
            "title": "Notes/Constraints/Caveats",
            "after": "user_stories",
        },
        "design_details": {"title": "Design Details", "after": "architecture"},
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
    aliases={
        "kep-number": "id",
        "authors": "author",
        "creation-date": "date",
        "Infrastructure Needed (Optional)": "infrastructure_needed",
        "Risks and Mitigations": "risks",
    },
    # kep.yaml's statuses, in the order a KEP goes through them.
    statuses={
        "Provisional": "#6b7280",
        "Implementable": "#1d4ed8",
        "Implemented": "#15803d",
        "Deferred": "#b45309",
        "Rejected": "#b91c1c",
        "Withdrawn": "#4b5563",
        "Replaced": "#4b5563",
    },
    companion="kep.yaml",
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
    aliases={
        # 0000-template.md's header lines and the headings that are the format's own.
        "Start Date": "date",
        "Rust Issue": "tracking_issue",
        "Tracking Issue": "tracking_issue",
        "Unresolved questions": "open_questions",
        "Detailed design": "reference_level_explanation",
    },
    statuses={"Accepted": "#15803d"},
)

SWIFT = Preset(
    source=(
        "Swift Evolution proposals: proposal-templates/0000-swift-template.md in "
        "swiftlang/swift-evolution (the `* Label: value` header lines and sections)"
    ),
    fields={
        "review_manager": {"label": "Review Manager", "type": "people"},
        "implementation": {"label": "Implementation", "type": "text"},
        "review": {"label": "Review", "type": "text"},
        "upcoming_feature_flag": {"label": "Upcoming Feature Flag", "type": "text"},
        "experimental_feature_flag": {"label": "Experimental Feature Flag", "type": "text"},
        "previous_proposal": {"label": "Previous Proposal", "type": "text"},
        "previous_revision": {"label": "Previous Revision", "type": "text"},
        "decision_notes": {"label": "Decision Notes", "type": "text"},
        "bug": {"label": "Bug", "type": "text"},
        "vision": {"label": "Vision", "type": "text"},
        "roadmap": {"label": "Roadmap", "type": "text"},
        "pitch": {"label": "Pitch", "type": "text"},
    },
    sections={
        "introduction": {"title": "Introduction", "after": "header"},
        "motivation": {"title": "Motivation", "after": "introduction"},
        "proposed_solution": {"title": "Proposed solution", "after": "motivation"},
        "detailed_design": {"title": "Detailed design", "after": "proposed_solution"},
        "source_compatibility": {"title": "Source compatibility", "after": "api"},
        "abi_compatibility": {"title": "ABI compatibility", "after": "source_compatibility"},
        "adoption_implications": {
            "title": "Implications on adoption",
            "after": "abi_compatibility",
        },
        "future_directions": {"title": "Future directions", "after": "open_questions"},
        "alternatives_considered": {
            "title": "Alternatives considered",
            "after": "future_directions",
        },
        "acknowledgments": {"title": "Acknowledgments", "after": "alternatives_considered"},
    },
    aliases={
        "Proposal": "id",
        "Authors": "author",
        "Bugs": "bug",
        "Previous Revisions": "previous_revision",
        "Previous Proposals": "previous_proposal",
    },
    # The statuses of the proposals' header, as the repository's status page lists them; a
    # status such as `Implemented (Swift 6.1)` is `Implemented`.
    statuses={
        "Awaiting review": "#6b7280",
        "Scheduled for review": "#6b7280",
        "Active review": "#b45309",
        "Accepted": "#1d4ed8",
        "Accepted with modifications": "#1d4ed8",
        "Previewing": "#7c3aed",
        "Implemented": "#15803d",
        "Returned for revision": "#b45309",
        "Rejected": "#b91c1c",
        "Withdrawn": "#4b5563",
    },
)

PRESETS: dict[str, Preset] = {"kep": KEP, "rfc": RFC, "swift": SWIFT}
"""The presets by the name `preset:` takes."""
