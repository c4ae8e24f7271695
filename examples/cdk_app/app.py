"""A small support team on an existing Amazon Connect instance, in CDK (Python).

    make venv                  # from the repository root, once
    cd examples/cdk_app
    npm ci                     # the pinned CDK CLI, into node_modules/
    npx cdk synth -c instanceArn=arn:aws:connect:...:instance/...

The users are of your type, under the name chosen once in the repository's config.mk (or
-c cdk-connect-user:typeName=Acme::Connect::User for one synthesis).

The stack makes a security profile, a routing profile and a hierarchy group with AWS's own
Connect L1 constructs, and three users with this project's ConnectUser construct, which takes
those L1s directly. Passwords come from one Secrets Manager secret per user (dynamic
references: nothing secret in the template).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_connect as connect
from constructs import Construct

from cdk_connect_user import ConnectUser, IdentityInfo, PhoneConfig, PhoneType
from cdk_connect_user.user import TYPE_NAME_CONTEXT
from registry_package.naming import configured_type_name

DEFAULT_INSTANCE_ARN = (
    "arn:aws:connect:us-east-1:123456789012:instance/11111111-1111-4111-8111-111111111111"
)

AGENTS = (
    # username, first name, last name
    ("akumar", "Arjun", "Kumar"),
    ("lchen", "Li", "Chen"),
)


class SupportTeamStack(cdk.Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, instance_arn: str, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        outbound_queue = cdk.CfnParameter(
            self, "OutboundQueueArn", description="ARN of the team's outbound queue."
        )

        profile = connect.CfnSecurityProfile(
            self,
            "AgentProfile",
            instance_arn=instance_arn,
            security_profile_name="support-agent",
            permissions=["BasicAgentAccess", "OutboundCallAccess"],
        )
        routing = connect.CfnRoutingProfile(
            self,
            "TeamRouting",
            instance_arn=instance_arn,
            name="support-routing",
            description="Voice and chat for the support team.",
            default_outbound_queue_arn=outbound_queue.value_as_string,
            media_concurrencies=[
                connect.CfnRoutingProfile.MediaConcurrencyProperty(channel="VOICE", concurrency=1),
                connect.CfnRoutingProfile.MediaConcurrencyProperty(channel="CHAT", concurrency=2),
            ],
        )
        group = connect.CfnUserHierarchyGroup(
            self, "TeamGroup", instance_arn=instance_arn, name="support"
        )

        lead = ConnectUser(
            self,
            "TeamLead",
            instance_id=instance_arn,
            username="mgarcia",
            password=cdk.SecretValue.secrets_manager(
                "contact-centre/mgarcia", json_field="password"
            ),
            identity_info=IdentityInfo(
                first_name="Maria",
                last_name="Garcia",
                email="maria.garcia@example.com",
                mobile="+12065550100",
            ),
            phone_config=PhoneConfig(
                phone_type=PhoneType.DESK_PHONE,
                desk_phone_number="+12065550101",
                auto_accept=False,
                after_contact_work_time_limit=120,
            ),
            security_profile_ids=[profile],  # the L1s themselves: their ARNs are used
            routing_profile_id=routing,
            hierarchy_group_id=group,
            tags={"role": "team-lead"},
        )
        cdk.CfnOutput(self, "TeamLeadArn", value=lead.attr_user_arn)
        cdk.CfnOutput(self, "TeamLeadId", value=lead.attr_user_id)

        for username, first, last in AGENTS:
            agent = ConnectUser(
                self,
                f"Agent-{username}",
                instance_id=instance_arn,
                username=username,
                password=cdk.SecretValue.secrets_manager(
                    f"contact-centre/{username}", json_field="password"
                ),
                identity_info=IdentityInfo(
                    first_name=first, last_name=last, email=f"{username}@example.com"
                ),
                phone_config=PhoneConfig(
                    phone_type=PhoneType.SOFT_PHONE,
                    auto_accept=True,
                    after_contact_work_time_limit=60,
                ),
                security_profile_ids=[profile],
                routing_profile_id=routing,
                hierarchy_group_id=group,
                tags={"role": "agent"},
            )
            cdk.CfnOutput(self, f"{username}Arn", value=agent.attr_user_arn)
            cdk.CfnOutput(self, f"{username}Id", value=agent.attr_user_id)

        # Reaches every user (and every other taggable resource) in the stack.
        cdk.Tags.of(self).add("cost-centre", "contact-centre")
        cdk.Tags.of(self).add("role", "stack-default")  # loses to each user's own role tag


def build_app(outdir: str | None = None) -> cdk.App:
    app = cdk.App(outdir=outdir)
    if not app.node.try_get_context(TYPE_NAME_CONTEXT):
        app.node.set_context(TYPE_NAME_CONTEXT, configured_type_name())  # config.mk's TYPE_NAME
    instance_arn = app.node.try_get_context("instanceArn") or DEFAULT_INSTANCE_ARN
    SupportTeamStack(
        app,
        "SupportTeam",
        instance_arn=instance_arn,
        synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False),
    )
    return app


if __name__ == "__main__":
    build_app().synth()
