"""The import's two front doors: POST /api/imports and `casebridge import`."""

import json

import pytest

from casebridge import cli
from casebridge.audit.models import AuditEvent
from casebridge.conftest import bearer
from casebridge.imports.models import ImportedRecord, ImportRun
from casebridge.imports.tests.conftest import SOURCE, item_line, legacy_file


def _post(client, user, body, source=SOURCE, **extra):
    query = f"?source={source}" if source else ""
    return client.post(f"/api/imports{query}", data=body, content_type="application/x-ndjson", **bearer(user), **extra)


def test_the_api_imports_a_body_and_answers_its_summary(client, cast):
    lines = legacy_file(3) + ['{"type": "item", "ref": ']
    answer = _post(client, cast["adam"], "\n".join(lines))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["lines"], body["imported"], body["skipped"], body["rejected"]) == (8, 7, 0, 1)
    assert body["rejections"] == [{"line": 8, "ref": "", "code": "not_json", "reason": body["rejections"][0]["reason"]}]
    assert ImportedRecord.objects.count() == 7
    run = AuditEvent.objects.filter(object_type="imports.importrun", object_id=str(body["run"]))
    assert set(run.values_list("operation", flat=True)) == {"create", "update"}
    again = _post(client, cast["adam"], "\n".join(lines)).json()
    assert (again["imported"], again["skipped"]) == (0, 7)


@pytest.mark.parametrize("who", ["petra", "nora", "dora"])
def test_the_api_refuses_who_is_not_an_agency_administrator(client, cast, who):
    answer = _post(client, cast[who], "\n".join(legacy_file(1)))
    # An operation the role does not grant is closed to it, as every API operation is: 404.
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert not ImportRun.objects.exists()


def test_the_api_errors_have_stable_codes(client, cast, settings):
    adam = cast["adam"]
    assert _post(client, adam, "\n\n").json()["error"]["code"] == "not_json_lines"
    assert _post(client, adam, b"\xff\xfe{}").json()["error"]["code"] == "not_json_lines"
    missing = _post(client, adam, "\n".join(legacy_file(1)), source="")
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "validation_error"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    large = _post(client, adam, "\n".join(legacy_file(3)))
    assert large.status_code == 400 and large.json()["error"]["code"] == "too_large"
    assert not ImportRun.objects.exists()
    assert client.post(f"/api/imports?source={SOURCE}", data="{}", content_type="application/x-ndjson") \
        .status_code == 401


@pytest.fixture
def legacy(tmp_path):
    def write(lines, name="export.jsonl"):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)
    return write


def _cli(*args):
    return cli.main(["import", *args])


@pytest.mark.usefixtures("committing")
def test_the_command_imports_and_says_so(cast, legacy, capsys):
    path = legacy(legacy_file(4))
    assert _cli(path, "--as", "adam", "--source", SOURCE) == 0
    assert ImportedRecord.objects.count() == 8
    assert "8 imported" in capsys.readouterr().out
    assert _cli(path, "--as", "adam", "--source", SOURCE) == 0  # resumed: nothing left to import
    assert ImportedRecord.objects.count() == 8


@pytest.mark.usefixtures("committing")
def test_rejected_lines_go_to_a_file_and_the_command_exits_3(cast, legacy, capsys):
    path = legacy(legacy_file(2) + [item_line("I-9", category="gossip")])
    assert _cli(path, "--as", "adam", "--source", SOURCE) == 3
    rejects = [json.loads(line) for line in open(f"{path}.rejects.jsonl", encoding="utf-8")]
    assert [(r["line"], r["ref"], r["code"]) for r in rejects] == [(7, "I-9", "invalid_value")]
    assert capsys.readouterr().err.startswith("casebridge: 1 lines rejected")
    assert ImportedRecord.objects.count() == 6


@pytest.mark.usefixtures("committing")
@pytest.mark.parametrize("case, reason", [
    ("missing_file", "no such file"), ("not_json_lines", "is not JSON Lines"), ("unknown_user", "no such user"),
    ("not_admin", "Only an agency administrator"),
])
def test_unusable_input_exits_1_with_one_line_and_writes_nothing(cast, legacy, capsys, case, reason):
    path = legacy(["name,given_name", "1,Aziz"]) if case == "not_json_lines" else legacy(legacy_file(1))
    args = {"missing_file": [path + ".nope", "--as", "adam"], "unknown_user": [path, "--as", "nobody"],
            "not_admin": [path, "--as", "petra"]}.get(case, [path, "--as", "adam"])
    assert _cli(*args, "--source", SOURCE) == 1
    err = capsys.readouterr().err
    assert err.startswith("casebridge: ") and reason in err and err.count("\n") == 1
    assert not ImportRun.objects.exists()
