"""python -m connect_emulator --port 4566 [--state-file F] [--rate 2 --burst 5]
[--visibility-delay 3] ..."""

from __future__ import annotations

import argparse
import logging
import sys

from .consistency import KINDS, DeletedUsername, RepeatDelete
from .faults import ALL_OPERATIONS, FaultSpec, RealClock, ScaledClock
from .fidelity import OPTIONS as FIDELITY_OPTIONS
from .fidelity import Fidelity
from .identity_rules import SamlEmailPolicy
from .proficiencies import ProficiencyMissing, ProficiencyRepeat
from .server import Emulator
from .user_config import ChannelFill, ConfigUpdate
from .user_search import ProficiencySearch


def _fail_next(text: str) -> tuple[str, int, str]:
    try:
        operation, count, fault = text.split(":")
        return operation, int(count), fault
    except ValueError:
        raise argparse.ArgumentTypeError("expected OPERATION:COUNT:FAULT") from None


def _visibility(text: str) -> tuple[str, str, float]:
    try:
        operation, kind, seconds = text.split(":")
        if kind not in KINDS:
            raise ValueError(kind)
        return operation, kind, float(seconds)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected OPERATION:KIND:SECONDS with KIND one of {', '.join(KINDS)}"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m connect_emulator", description="A local Amazon Connect emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566, help="0 picks a free port")
    parser.add_argument("--state-file", help="load state from here at start, save after each write")
    parser.add_argument("--user-limit", type=int, default=100_000, help="users per instance")
    parser.add_argument(
        "--saml-email",
        choices=[policy.value for policy in SamlEmailPolicy],
        default=SamlEmailPolicy.REJECT.value,
        help="IdentityInfo.Email on SAML instances (default: reject)",
    )
    parser.add_argument(
        "--channel-fill",
        choices=[fill.value for fill in ChannelFill],
        default=ChannelFill.NONE.value,
        help="whether DescribeUser reports per-channel settings nobody set: none = only the "
        "channels set through a list, all = every channel at its default "
        "(undocumented by Connect; default: none)",
    )
    parser.add_argument(
        "--user-config-update",
        choices=[mode.value for mode in ConfigUpdate],
        default=ConfigUpdate.MERGE.value,
        help="whether UpdateUserConfig merges each list it is given by Channel or replaces "
        "the user's list with it (undocumented by Connect; default: merge)",
    )
    parser.add_argument(
        "--proficiency-missing",
        choices=[mode.value for mode in ProficiencyMissing],
        default=ProficiencyMissing.NOT_FOUND.value,
        help="what a proficiency call answers for an attribute or value that is not "
        "predefined (undocumented by Connect; default: not-found)",
    )
    parser.add_argument(
        "--proficiency-repeat",
        choices=[mode.value for mode in ProficiencyRepeat],
        default=ProficiencyRepeat.REJECT.value,
        help="what AssociateUserProficiencies does with a proficiency the user already has: "
        "reject = InvalidRequestException, update = set its level "
        "(undocumented by Connect; default: reject)",
    )
    _fidelity_options(parser)
    parser.add_argument(
        "--proficiency-search",
        choices=[mode.value for mode in ProficiencySearch],
        default=ProficiencySearch.ENTRY.value,
        help="how SearchUsers reads a ListCondition's ANDed conditions: entry = one "
        "proficiency meets them all, any = each may be met by a different proficiency "
        "(undocumented by Connect; default: entry)",
    )
    faults = parser.add_argument_group("fault injection (for --operation, default all)")
    faults.add_argument("--operation", default=ALL_OPERATIONS, help="e.g. CreateUser; * = all")
    faults.add_argument("--rate", type=float, help="token-bucket refill, requests per second")
    faults.add_argument("--burst", type=int, default=1, help="token-bucket size")
    faults.add_argument("--error-rate", type=float, default=0.0, help="share of 500 errors")
    faults.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    faults.add_argument("--drop-rate", type=float, default=0.0, help="share of dropped connections")
    faults.add_argument("--commit-then-drop-rate", type=float, default=0.0)
    faults.add_argument("--fault-seed", type=int, default=0, help="seed of the fault RNG")
    faults.add_argument(
        "--fail-next",
        action="append",
        default=[],
        metavar="OPERATION:COUNT:FAULT",
        type=_fail_next,
        help="fail the next COUNT calls, e.g. CreateUser:2:ThrottlingException or "
        "UpdateUserHierarchy:1:commit_then_drop (repeatable)",
    )
    _consistency_options(parser)
    parser.add_argument(
        "--time-factor",
        type=float,
        help="run the emulator's clock this many times faster than real time (token buckets, "
        "latency, visibility delays); default real time",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request line")
    return parser


_FIDELITY_HELP = {
    "username_limits": "observed = 1-100 characters on every instance (botocore's model, "
    "Terraform's acceptance tests); reference = 20, or 64 on SAML (the CreateUser reference)",
    "directory_user_id": "the DirectoryUserId of a SAML or EXISTING_DIRECTORY user made without "
    "one (CONNECT_MANAGED users always get a UUID): uuid, username or none",
    "soft_phone_desk": 'DescribeUser\'s DeskPhoneNumber on a soft phone: empty = "" (the AWS '
    "CLI's example), absent = left out",
    "search_channel_acw_unit": "the unit of SearchUsers' per-channel AfterContactWorkConfigs "
    "(undocumented; the classic member is milliseconds)",
    "proficiency_levels": "any = every level 1.0-5.0 (botocore's model); whole = 1-5 only",
}


def _fidelity_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "fidelity: where the reference and observed Connect differ (README's fidelity ledger)"
    )
    defaults = Fidelity()
    for name, kind in FIDELITY_OPTIONS.items():
        default = getattr(defaults, name).value
        group.add_argument(
            "--" + name.replace("_", "-"),
            choices=[member.value for member in kind],
            default=default,
            help=f"{_FIDELITY_HELP[name]} (default: {default})",
        )


def _consistency_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "eventual consistency (seconds of the emulator's clock; default 0 = consistent)"
    )
    group.add_argument(
        "--visibility-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="the delay of all three kinds below, for every operation they affect",
    )
    for kind, what in (
        ("new-user", "a created user is not found by DescribeUser/UpdateUser*/DeleteUser/"
         "SearchUsers/ListUsers/tag calls"),
        ("deleted-user", "a deleted user is still found by DescribeUser/SearchUsers/ListUsers"),
        ("new-reference", "a profile or group created through the admin endpoint is not "
         "found by CreateUser/UpdateUserSecurityProfiles/-RoutingProfile/-Hierarchy nor by "
         "the Describe/List calls of profiles and groups"),
    ):  # fmt: skip
        group.add_argument(
            f"--{kind}-delay", type=float, metavar="SECONDS", help=f"{what} (overrides above)"
        )
    group.add_argument(
        "--visibility",
        action="append",
        default=[],
        metavar="OPERATION:KIND:SECONDS",
        type=_visibility,
        help="one operation's own delay of a kind, e.g. SearchUsers:new_user:30 (repeatable)",
    )
    group.add_argument(
        "--repeat-delete",
        choices=[policy.value for policy in RepeatDelete],
        default=RepeatDelete.NOT_FOUND.value,
        help="what a second DeleteUser answers while the deleted user is still visible "
        "(undocumented by Connect; default: not-found)",
    )
    group.add_argument(
        "--deleted-username",
        choices=[policy.value for policy in DeletedUsername],
        default=DeletedUsername.FREE.value,
        help="whether CreateUser may reuse a deleted user's username while that user is still "
        "visible; held = DuplicateResourceException (undocumented by Connect; default: free)",
    )


def _consistency(args: argparse.Namespace) -> dict[str, dict[str, float | None]] | None:
    every = {
        kind: getattr(args, f"{kind}_delay") if getattr(args, f"{kind}_delay") is not None
        else args.visibility_delay
        for kind in KINDS
    }  # fmt: skip
    delays: dict[str, dict[str, float | None]] = {ALL_OPERATIONS: dict(every)}
    for operation, kind, seconds in args.visibility:
        delays.setdefault(operation, {})[kind] = seconds
    return delays if any(any(d.values()) for d in delays.values()) else None


def configured(argv: list[str] | None = None) -> tuple[Emulator, argparse.Namespace]:
    """The (not yet started) emulator the command line describes, and the parsed options."""
    parser = _parser()
    args = parser.parse_args(argv)
    spec = FaultSpec(
        rate=args.rate,
        burst=args.burst,
        error_rate=args.error_rate,
        latency=args.latency,
        drop_rate=args.drop_rate,
        commit_then_drop_rate=args.commit_then_drop_rate,
    )
    try:
        emulator = Emulator(
            args.host,
            args.port,
            state_file=args.state_file,
            fault_seed=args.fault_seed,
            faults={args.operation: spec} if spec != FaultSpec() else None,
            fail_next=args.fail_next,
            user_limit=args.user_limit,
            saml_email=args.saml_email,
            clock=ScaledClock(args.time_factor) if args.time_factor else RealClock(),
            consistency=_consistency(args),
            repeat_delete=args.repeat_delete,
            deleted_username=args.deleted_username,
            channel_fill=args.channel_fill,
            user_config_update=args.user_config_update,
            proficiency_missing=args.proficiency_missing,
            proficiency_repeat=args.proficiency_repeat,
            fidelity={name: getattr(args, name) for name in FIDELITY_OPTIONS},
            proficiency_search=args.proficiency_search,
        )
    except ValueError as error:  # e.g. a delay of a kind for an operation it does not affect
        parser.error(str(error))
    return emulator, args


def main(argv: list[str] | None = None) -> int:
    emulator, args = configured(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    emulator.start()
    print(f"Amazon Connect emulator listening on {emulator.endpoint_url}", flush=True)
    print(f"  export AWS_ENDPOINT_URL_CONNECT={emulator.endpoint_url}", flush=True)
    print(
        f"  admin: {emulator.endpoint_url}/_emulator/requests | faults | consistency | "
        "channels | references | state | reset",
        flush=True,
    )
    try:
        emulator.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
