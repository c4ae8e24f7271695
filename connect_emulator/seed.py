"""The emulator's seeded, deterministic state.

These IDs are a public contract: inputs/, examples/, the demo, the docs and the tests
all use them. Change them only together with every one of those.
"""

from __future__ import annotations

from dataclasses import dataclass

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
PARTITION = "aws"


@dataclass(frozen=True)
class SeedInstance:
    number: int
    alias: str
    identity_management_type: str

    @property
    def id(self) -> str:
        n = self.number
        return f"{n}{n}{n}{n}{n}{n}{n}{n}-{n}{n}{n}{n}-4{n}{n}{n}-8{n}{n}{n}-{str(n) * 12}"

    @property
    def arn(self) -> str:
        return f"arn:{PARTITION}:connect:{REGION}:{ACCOUNT_ID}:instance/{self.id}"

    def child_id(self, kind: str, index: int) -> str:
        """ID of the index-th (1-based) seeded child of a kind: security/routing/hierarchy."""
        prefix = {"security": "aaaaaaaa", "routing": "bbbbbbbb", "hierarchy": "cccccccc"}[kind]
        return f"{prefix}-{self.number:04d}-4000-8000-{index:012d}"

    def child_arn(self, kind: str, index: int) -> str:
        segment = {
            "security": "security-profile",
            "routing": "routing-profile",
            "hierarchy": "agent-group",
        }[kind]
        return f"{self.arn}/{segment}/{self.child_id(kind, index)}"


CONNECT_MANAGED = SeedInstance(1, "demo-managed", "CONNECT_MANAGED")
SAML = SeedInstance(2, "demo-saml", "SAML")
EXISTING_DIRECTORY = SeedInstance(3, "demo-directory", "EXISTING_DIRECTORY")
INSTANCES = (CONNECT_MANAGED, SAML, EXISTING_DIRECTORY)

# Names of the seeded children, in index order (index = position + 1), same in every instance.
SECURITY_PROFILES = ("Agent", "Admin", "CallCenterManager", "QualityAnalyst")
ROUTING_PROFILES = ("Basic Routing Profile", "Sales", "Support")
HIERARCHY_GROUPS = ("Tier1", "Tier2", "Escalations")

# Predefined attributes for routing proficiencies, with their values, same in every instance
# (connect_emulator/proficiencies.py).
PREDEFINED_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "Language": ("English", "Spanish", "French", "German"),
    "Product": ("Billing", "Hardware", "Software"),
    "Tier": ("Gold", "Silver", "Bronze"),
}
