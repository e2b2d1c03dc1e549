"""Governance tables, split by concept; import them from here."""

from governance.models.anchors import Anchor
from governance.models.feedback import CityService, Feedback
from governance.models.initiatives import Initiative, InitiativePolicy, InitiativeSupport
from governance.models.projects import (
    Allocation,
    Attestation,
    Decision,
    Device,
    DeviceReading,
    Disbursement,
    Inspector,
    Milestone,
    Partner,
    Project,
)
from governance.models.proposals import (
    Proposal,
    ProposalAction,
    ProposalOption,
    ProposalType,
)

__all__ = [
    "Allocation",
    "Anchor",
    "Attestation",
    "CityService",
    "Decision",
    "Device",
    "DeviceReading",
    "Disbursement",
    "Feedback",
    "Initiative",
    "InitiativePolicy",
    "InitiativeSupport",
    "Inspector",
    "Milestone",
    "Partner",
    "Project",
    "Proposal",
    "ProposalAction",
    "ProposalOption",
    "ProposalType",
]
