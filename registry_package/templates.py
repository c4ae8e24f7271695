"""CloudFormation templates for registering the type under a (private) name: pure functions of
the type name and the schema, dumped as YAML from Python data.

- execution_role_template: the role the handlers run with. Its trust policy names
  resources.cloudformation.amazonaws.com for this account and this type only (aws:SourceAccount,
  aws:SourceArn ...:type/resource/<Org-Service-Resource>/*); its permissions are the union of the
  schema's handler permissions (and tagging permissions), read from the schema.
- registration_template: that role, a log group, a logging role, an
  AWS::CloudFormation::ResourceVersion for the zip at s3://${Bucket}/${Key} and an
  AWS::CloudFormation::ResourceDefaultVersion making it the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

SERVICE_PRINCIPAL = "resources.cloudformation.amazonaws.com"
POLICY_VERSION = "2012-10-17"
LOGGING_ACTIONS = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
    "cloudwatch:PutMetricData",
)
# CloudWatch Logs' accepted retention periods, in days.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653,
)  # fmt: skip
DEFAULT_LOG_RETENTION_DAYS = 30
DEFAULT_MAX_SESSION_DURATION = 8400  # seconds; build_bundle passes resource-role.yaml's value

Template = dict[str, Any]


def _parts(type_name: str) -> list[str]:
    return type_name.split("::")


def arn_name(type_name: str) -> str:
    """The type's name in its ARN: Acme::Connect::User -> Acme-Connect-User."""
    return "-".join(_parts(type_name))


def file_stem(type_name: str) -> str:
    """The schema and zip file name: Acme::Connect::User -> acme-connect-user."""
    return "-".join(p.lower() for p in _parts(type_name))


def source_arn(type_name: str) -> str:
    """The aws:SourceArn pattern (for Fn::Sub) of any version of this type in this account."""
    return (
        "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:"
        f"type/resource/{arn_name(type_name)}/*"
    )


LAGGING_IAM_CATALOGUE_CHECK = "W3037"


def handler_permissions(schema: Mapping[str, Any]) -> list[str]:
    """The union of every handler's permissions and the tagging permissions, sorted."""
    actions: set[str] = set()
    for handler in schema.get("handlers", {}).values():
        actions.update(handler.get("permissions", []))
    tagging = schema.get("tagging")
    if isinstance(tagging, Mapping):
        actions.update(tagging.get("permissions", []))
    return sorted(actions)


def trust_policy(type_name: str) -> dict[str, Any]:
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": SERVICE_PRINCIPAL},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                    "StringLike": {"aws:SourceArn": {"Fn::Sub": source_arn(type_name)}},
                },
            }
        ],
    }


def execution_role_resource(
    type_name: str,
    schema: Mapping[str, Any],
    max_session_duration: int = DEFAULT_MAX_SESSION_DURATION,
) -> dict[str, Any]:
    permissions = handler_permissions(schema)
    if not permissions:
        raise ValueError("the schema's handlers declare no permissions")
    return {
        "Type": "AWS::IAM::Role",
        # IAM action catalogues lag Connect: cfn-lint 1.58's (W3037) does not know
        # connect:UpdateUserConfig, which the UPDATE handler calls (as AWS's own
        # AWS::Connect::User does). tests/package pins this: drop it once cfn-lint knows it.
        "Metadata": {"cfn-lint": {"config": {"ignore_checks": [LAGGING_IAM_CATALOGUE_CHECK]}}},
        "Properties": {
            "MaxSessionDuration": max_session_duration,
            "AssumeRolePolicyDocument": trust_policy(type_name),
            "Path": "/",
            "Policies": [
                {
                    "PolicyName": "ResourceTypePolicy",
                    "PolicyDocument": {
                        "Version": POLICY_VERSION,
                        "Statement": [{"Effect": "Allow", "Action": permissions, "Resource": "*"}],
                    },
                }
            ],
        },
    }


def execution_role_template(
    type_name: str,
    schema: Mapping[str, Any],
    max_session_duration: int = DEFAULT_MAX_SESSION_DURATION,
) -> Template:
    """The handlers' execution role alone (cfn submit deploys it as resource-role.yaml)."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            f"The execution role {type_name}'s handlers run with: assumable by CloudFormation "
            "for this type in this account only, with exactly the schema's handler permissions."
        ),
        "Resources": {
            "ExecutionRole": execution_role_resource(type_name, schema, max_session_duration)
        },
        "Outputs": {"ExecutionRoleArn": {"Value": {"Fn::GetAtt": ["ExecutionRole", "Arn"]}}},
    }


def log_group_name(type_name: str) -> str:
    return f"/cloudformation/registry/{file_stem(type_name)}"


def registration_template(
    type_name: str,
    schema: Mapping[str, Any],
    max_session_duration: int = DEFAULT_MAX_SESSION_DURATION,
) -> Template:
    """Register the zip at s3://Bucket/Key as a private type version and make it the default."""
    if schema.get("typeName") not in (None, type_name):
        raise ValueError(f"the schema is for {schema['typeName']}, not {type_name}")
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            f"Registers {type_name} privately: the handler package from S3, its execution role, "
            "a log group and logging role, and the new version as the default."
        ),
        "Parameters": {
            "Bucket": {
                "Type": "String",
                "Description": "S3 bucket holding the registry zip",
            },
            "Key": {
                "Type": "String",
                "Default": f"{file_stem(type_name)}.zip",
                "Description": "S3 key of the registry zip (from make package)",
            },
            "LogRetentionDays": {
                "Type": "Number",
                "Default": DEFAULT_LOG_RETENTION_DAYS,
                "AllowedValues": list(LOG_RETENTION_DAYS),
                "Description": "Retention of the handler log group, in days",
            },
        },
        "Resources": {
            "ExecutionRole": execution_role_resource(type_name, schema, max_session_duration),
            "LogGroup": {
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "LogGroupName": log_group_name(type_name),
                    "RetentionInDays": {"Ref": "LogRetentionDays"},
                },
            },
            "LoggingRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": trust_policy(type_name),
                    "Path": "/",
                    "Policies": [
                        {
                            "PolicyName": "ResourceTypeLogging",
                            "PolicyDocument": {
                                "Version": POLICY_VERSION,
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Action": list(LOGGING_ACTIONS),
                                        "Resource": "*",
                                    }
                                ],
                            },
                        }
                    ],
                },
            },
            "ResourceVersion": {
                "Type": "AWS::CloudFormation::ResourceVersion",
                "Properties": {
                    "TypeName": type_name,
                    "SchemaHandlerPackage": {"Fn::Sub": "s3://${Bucket}/${Key}"},
                    "ExecutionRoleArn": {"Fn::GetAtt": ["ExecutionRole", "Arn"]},
                    "LoggingConfig": {
                        "LogGroupName": {"Ref": "LogGroup"},
                        "LogRoleArn": {"Fn::GetAtt": ["LoggingRole", "Arn"]},
                    },
                },
            },
            "DefaultVersion": {
                "Type": "AWS::CloudFormation::ResourceDefaultVersion",
                "Properties": {"TypeVersionArn": {"Ref": "ResourceVersion"}},
            },
        },
        "Outputs": {
            "TypeArn": {"Value": {"Fn::GetAtt": ["ResourceVersion", "TypeArn"]}},
            "TypeVersionArn": {"Value": {"Ref": "ResourceVersion"}},
            "ExecutionRoleArn": {"Value": {"Fn::GetAtt": ["ExecutionRole", "Arn"]}},
            "LogGroupName": {"Value": {"Ref": "LogGroup"}},
        },
    }


def to_yaml(template: Template) -> str:
    return yaml.safe_dump(template, sort_keys=False, default_flow_style=False, width=100)
