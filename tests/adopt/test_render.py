"""adopt's pure parts: logical IDs, the split, the files' shapes, the progress bar."""

from __future__ import annotations

import argparse
import io
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from adopt import render
from adopt.__main__ import type_name
from adopt.progress import Progress
from aws_connect_user.runtime import build_model

from ..testdata import live_user, user_model

USERNAMES = st.text(alphabet="abcXYZ019._-@", min_size=1, max_size=12)


@settings(max_examples=60, derandomize=True, database=None)
@given(names=st.lists(USERNAMES, max_size=30))
def test_logical_ids_are_alphanumeric_unique_and_independent_of_order(names: list[str]) -> None:
    ids = render.logical_ids(names)
    assert set(ids) == set(names)
    assert len(set(ids.values())) == len(ids)
    assert all(re.fullmatch(r"User[A-Za-z0-9]*", i) and len(i) <= 255 for i in ids.values())
    assert render.logical_ids(reversed(names)) == ids


def test_names_that_differ_only_in_punctuation_get_a_hash_suffix() -> None:
    ids = render.logical_ids(["jo.ng", "jo_ng", "ada.lovelace"])
    assert ids["ada.lovelace"] == "UserAdaLovelace"
    assert ids["jo.ng"] != ids["jo_ng"]
    assert ids["jo.ng"].startswith("UserJoNg") and len(ids["jo.ng"]) == len("UserJoNg") + 8


@pytest.mark.parametrize("size", [0, 201])
def test_at_most_200_resources_a_template_as_one_import_takes(size: int) -> None:
    with pytest.raises(ValueError, match="1 to 200"):
        render.chunks([], size)


def adopted(name: str) -> render.Adopted:
    props = render.template_properties(build_model(user_model(Username=name, Password=None)))
    return render.Adopted(f"User{name}", f"arn:{name}", props)


def test_template_and_import_file() -> None:
    users = [adopted("a"), adopted("b")]
    body = render.template(users, "Acme::Connect::User", "d")
    assert list(body["Resources"]) == ["Usera", "Userb"]
    resource = body["Resources"]["Usera"]
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert "Password" not in resource["Properties"]
    assert yaml.safe_load(render.to_yaml(body)) == body  # '+1206...' and 'true' stay what they are
    assert render.resources_to_import(users, "Acme::Connect::User")[1] == {
        "ResourceType": "Acme::Connect::User",
        "LogicalResourceId": "Userb",
        "ResourceIdentifier": {"UserArn": "arn:b"},
    }


def test_read_model_is_the_handlers_read_by_identifier() -> None:
    user = live_user()
    model = render.read_model(user, {("Language", "English"): 4})
    props = render.template_properties(model)
    assert "UserArn" not in props and "UserId" not in props
    assert props["UserProficiencies"] == [
        {"AttributeName": "Language", "AttributeValue": "English", "Level": 4}
    ]
    assert render.problems(props) == []


def test_problems_name_what_the_type_refuses() -> None:
    props = render.template_properties(build_model(user_model(Password=None)))
    props["Username"] = "has space"
    assert any(p.startswith("Username") for p in render.problems(props))


def test_the_progress_bar_draws_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    plain, terminal = io.StringIO(), Terminal()
    for stream in (plain, terminal):
        bar = Progress(2, "adopting", stream)
        bar.advance()
        bar.advance()
        bar.close()
    assert plain.getvalue() == ""
    assert "2/2" in terminal.getvalue()


@pytest.mark.parametrize("name", ["AWS::Connect::User", "Connect::User", "Acme::Connect::User!"])
def test_the_type_name_is_a_private_name(name: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        type_name(name)
    assert type_name("Acme::Connect::User") == "Acme::Connect::User"
