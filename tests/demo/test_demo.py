"""The README's main command must keep working and must never show the Password."""

import json

import demo.__main__ as demo_main


def test_demo_lifecycle_passes_every_step_without_showing_the_password(capsys):
    password = json.loads(demo_main.EXAMPLE.read_text())["Password"]

    assert demo_main.main() == 0

    out = capsys.readouterr().out
    assert "demo passed: 9 steps" in out  # 7, + per-channel (issue 12), + proficiencies (13)
    assert "UPDATE per channel: chat ACW 300 s" in out
    assert "Connect calls: DescribeUser, UpdateUserConfig\n" in out  # one write for two lists
    assert "AssociateUserProficiencies\n" in out  # the proficiency step: one write (issue 13)
    assert "FAILED NotFound" in out  # the read after delete
    assert password not in out
    assert "Stack tags           cost-centre=contact-centre, stack=agents-demo" in out
    assert "aws cloudformation deploy --tags" in out  # where a stack's tags come from
    models = out.split("   model: ")
    assert len(models) == 5  # create, read after update, per-channel, proficiencies
    assert '"AfterContactWorkConfigs"' in models[3] and '"VoiceEnhancementConfigs"' in models[3]
    assert '"UserProficiencies"' in models[4]


def test_demo_reports_a_step_that_misbehaves(monkeypatch, capsys):
    # A read that answers SUCCESS after the delete must fail the demo.
    real_invoke = demo_main.Demo.invoke

    def invoke(self, event):
        answer = real_invoke(self, event)
        if event["action"] == "READ" and answer.get("errorCode") == "NotFound":
            return {"status": "SUCCESS", "resourceModel": {}}
        return answer

    monkeypatch.setattr(demo_main.Demo, "invoke", invoke)

    assert demo_main.main() == 1
    assert "UNEXPECTED: expected FAILED NotFound" in capsys.readouterr().out
