"""python -m adopt --instance-id ID_OR_ARN --type-name Acme::Connect::User --out adopted/"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from registry_package.build import TYPE_NAME_PATTERN, is_reserved

from .render import DEFAULT_PER_TEMPLATE, MAX_PER_TEMPLATE
from .run import Options, adopt
from .source import Connect, Filters, Pacer


def type_name(text: str) -> str:
    """The name the type is registered under: a private name, never AWS's own
    AWS::Connect::User (a template of it would mean AWS's public type, other properties)."""
    if not TYPE_NAME_PATTERN.fullmatch(text):
        raise argparse.ArgumentTypeError("expected Organization::Service::Resource")
    if is_reserved(text):
        raise argparse.ArgumentTypeError(
            f"{text} is in a reserved namespace: give the private name the type is registered "
            "under, e.g. Acme::Connect::User"
        )
    return text


def _tag(text: str) -> tuple[str, str | None]:
    key, sep, value = text.partition("=")
    if not key:
        raise argparse.ArgumentTypeError("expected KEY or KEY=VALUE")
    return key, value if sep else None


def _per_template(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_PER_TEMPLATE:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_PER_TEMPLATE}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m adopt",
        description="Write CloudFormation templates and import files that bring every user of "
        "an Amazon Connect instance under this resource type, without re-creating anyone.",
    )
    p.add_argument("--instance-id", required=True, help="the instance: its ID or ARN")
    p.add_argument("--type-name", required=True, type=type_name, help="e.g. Acme::Connect::User")
    p.add_argument("--out", required=True, type=Path, help="folder for the files")
    p.add_argument(
        "--per-template",
        type=_per_template,
        default=DEFAULT_PER_TEMPLATE,
        help=f"resources per template (default {DEFAULT_PER_TEMPLATE}, at most {MAX_PER_TEMPLATE})",
    )
    p.add_argument("--username", metavar="PATTERN", help="shell-style, e.g. 'agent.*'")
    p.add_argument("--routing-profile", metavar="ID", help="only users of this routing profile")
    p.add_argument("--hierarchy-group", metavar="ID", help="only users in this hierarchy group")
    p.add_argument("--tag", type=_tag, metavar="KEY[=VALUE]", help="only users with this tag")
    p.add_argument(
        "--parameters",
        action="store_true",
        help="template parameters for the instance and each profile and group",
    )
    p.add_argument(
        "--proficiencies",
        choices=("auto", "search", "per-user"),
        default="auto",
        help="read routing proficiencies by SearchUsers (one search per attribute value and "
        "level), per user (ListUserProficiencies), or whichever takes fewer calls (default)",
    )
    p.add_argument(
        "--rate",
        type=float,
        default=2.0,
        help="requests a second per API the run allows itself (Connect's default: 2)",
    )
    p.add_argument("--region", help="default: boto3's usual region configuration")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options = Options(
        instance=args.instance_id,
        type_name=args.type_name,
        out=args.out,
        per_template=args.per_template,
        username_pattern=args.username,
        filters=Filters(args.routing_profile, args.hierarchy_group, args.tag),
        parameters=args.parameters,
        proficiencies=args.proficiencies,
    )
    try:
        connect = Connect(args.region, Pacer(rate=args.rate))
        summary = adopt(options, connect)
    except (BotoCoreError, ClientError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(summary.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
