"""One adoption: find the users, read each as the type's READ would, write the files.

What needs a call per user, and what does not (see README.md): SearchUsers' pages (500 users
each) find the users and apply the filters; DescribeUser reads each user, because Email,
SecondaryEmail and Mobile exist nowhere else and a template without them would erase them
(the type's update owns every identity field); routing proficiencies come from searches, one
per attribute value and level, whenever that is fewer calls than one ListUserProficiencies per
user.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_connect_user import rules
from aws_connect_user.references import id_of

from . import render
from .progress import Progress
from .source import (
    Clock,
    Connect,
    Filters,
    Levels,
    Reader,
    RealClock,
    index_by_search,
    search_cost,
)


@dataclass(frozen=True)
class Options:
    instance: str  # ID or ARN
    type_name: str
    out: Path
    per_template: int = render.DEFAULT_PER_TEMPLATE
    username_pattern: str | None = None  # shell-style, e.g. "agent.*"
    filters: Filters = field(default_factory=Filters)
    parameters: bool = False
    proficiencies: str = "auto"  # auto | search | per-user


@dataclass
class Summary:
    instance_id: str
    written: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # username -> why
    filtered_out: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    retried: int = 0
    seconds: float = 0.0
    proficiency_source: str = ""
    identity_type: str = ""
    files: list[str] = field(default_factory=list)

    def text(self) -> str:
        calls = ", ".join(f"{op} {n}" for op, n in sorted(self.calls.items()))
        lines = [
            f"Instance {self.instance_id}: {self.written} users written, "
            f"{len(self.skipped)} skipped, {self.filtered_out} left out by the username pattern.",
            f"API calls: {sum(self.calls.values())} ({calls}); {self.retried} retried.",
            f"Time: {self.seconds:.1f} s.",
            "Read per user: DescribeUser (Email, SecondaryEmail and Mobile are in no page). "
            f"Proficiencies: {self.proficiency_source}.",
        ]
        if self.identity_type and self.identity_type != rules.EXISTING_DIRECTORY:
            lines.append(
                f"DirectoryUserId left out: Connect assigned it ({self.identity_type} instance)."
            )
        lines += [f"Skipped {name}: {why}" for name, why in sorted(self.skipped.items())]
        lines += [f"Wrote {name}" for name in self.files]
        return "\n".join(lines)


def _selected(reader: Reader, options: Options, summary: Summary) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for page in reader.users(options.filters):
        for user in page:
            name = user.get("Username") or ""
            if options.username_pattern and not fnmatch.fnmatchcase(name, options.username_pattern):
                summary.filtered_out += 1
                continue
            found[user["Arn"]] = user
    return sorted(found.values(), key=lambda u: (u.get("Username") or "", u["Arn"]))


def _plan_proficiencies(
    reader: Reader, options: Options, users: int
) -> tuple[dict[str, list[str]] | None, str]:
    """The attribute values to search for proficiencies (None: read them per user), and why:
    search when it takes fewer calls than one ListUserProficiencies per user."""
    if options.proficiencies == "per-user" or users == 0:
        return None, "ListUserProficiencies per user"
    values = reader.attribute_values()
    cost = search_cost(values)
    if options.proficiencies == "auto" and cost >= users:
        return None, f"ListUserProficiencies per user ({users} users, {cost} searches)"
    count = sum(len(v) for v in values.values())
    return values, f"SearchUsers by proficiency ({count} attribute values x (5 levels + any))"


def adopt(
    options: Options,
    connect: Connect,
    *,
    clock: Clock | None = None,
    progress: Callable[[int], Progress] | None = None,
) -> Summary:
    """Find, read and write. The proficiency searches (their own API bucket) run beside the
    DescribeUser calls, so they add calls but next to no time."""
    clock = clock or RealClock()
    started = clock.monotonic()
    instance_id = id_of(options.instance, "instance")
    reader = Reader(connect, instance_id)
    summary = Summary(instance_id)
    chosen = _selected(reader, options, summary)
    # Only a directory's own user IDs belong in a template (render.template_properties).
    summary.identity_type = reader.identity_type()
    directory_ids = summary.identity_type == rules.EXISTING_DIRECTORY
    values, summary.proficiency_source = _plan_proficiencies(reader, options, len(chosen))
    by_search = values is not None

    bar = (progress or (lambda total: Progress(total, "adopting")))(len(chosen))
    described: list[tuple[dict[str, Any], Levels | None]] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        searched = pool.submit(index_by_search, reader, values) if values is not None else None
        for found in chosen:
            user = reader.describe(found["Id"])
            bar.advance()
            if user is None:
                name = found.get("Username") or found["Arn"]
                summary.skipped[name] = "deleted while the run was reading"
                continue
            described.append((user, None if by_search else reader.user_levels(user["Id"])))
        index = searched.result() if searched else None
    bar.close()

    read: list[tuple[str, str, dict[str, Any]]] = []
    for user, levels in described:
        if levels is None and index is not None:
            doubtful = user["Arn"] in index.doubtful
            levels = index.levels.get(user["Arn"], {})
            if doubtful:
                levels = reader.user_levels(user["Id"])
        model = render.read_model(user, levels or {})
        properties = render.template_properties(model, directory_ids=directory_ids)
        refused = render.problems(properties)
        if refused:
            summary.skipped[user["Username"]] = "the type would refuse it: " + "; ".join(refused)
            continue
        read.append((user["Username"], user["Arn"], properties))
    if index is not None:
        summary.proficiency_source += f"; {len(index.doubtful)} users read one by one"

    ids = render.logical_ids(name for name, _, _ in read)
    adopted = sorted(
        (render.Adopted(ids[name], arn, props) for name, arn, props in read),
        key=lambda a: a.logical_id,
    )
    summary.written = len(adopted)
    summary.files = write(options, instance_id, adopted)
    summary.calls = dict(connect.calls.made)
    summary.retried = connect.calls.retried
    summary.seconds = clock.monotonic() - started
    (options.out / "summary.txt").write_text(summary.text() + "\n", encoding="utf-8")
    return summary


def write(options: Options, instance_id: str, adopted: Sequence[render.Adopted]) -> list[str]:
    """Templates and import files, users-001.yaml and users-001-import.json on; files a
    previous run left beyond the last part are removed, so the folder matches this run."""
    options.out.mkdir(parents=True, exist_ok=True)
    parts = render.chunks(adopted, options.per_template)
    parameters = render.Parameters.for_users(instance_id, adopted) if options.parameters else None
    written = []
    for number, part in enumerate(parts, start=1):
        stem = f"users-{number:03d}"
        description = (
            f"Amazon Connect users of instance {instance_id}, adopted as {options.type_name} "
            f"(part {number} of {len(parts)})"
        )
        body = render.template(part, options.type_name, description, parameters)
        (options.out / f"{stem}.yaml").write_text(render.to_yaml(body), encoding="utf-8")
        entries = render.resources_to_import(part, options.type_name)
        (options.out / f"{stem}-import.json").write_text(
            json.dumps(entries, indent=2) + "\n", encoding="utf-8"
        )
        written += [f"{stem}.yaml", f"{stem}-import.json"]
    for stale in sorted(options.out.glob("users-[0-9][0-9][0-9]*")):
        if stale.name not in written:
            stale.unlink()
    return written
