# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""chatbot.platform.gitops_images through its main(): writes, check mode, diff, and one-line failures, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.chatbot.platform.plugins.modules import gitops_images

ROOT = Path(__file__).resolve().parents[4]
DEV = ROOT / "charts" / "chatbot" / "images-dev.yaml"
NEW = "sha256:" + "0123456789abcdef" * 4


def run(args, check=False, diff=False):
    out = io.StringIO()
    internal = {"_ansible_check_mode": check, "_ansible_diff": diff}
    with patch_module_args(dict(args, **internal)), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        gitops_images.main()
    text = out.getvalue()
    return json.loads(text[text.index("{") :])


@pytest.fixture
def images_file(tmp_path):
    path = tmp_path / "images-dev.yaml"
    shutil.copyfile(DEV, path)
    path.chmod(0o640)
    return path


def test_sets_the_digests_and_tag_then_changes_nothing(images_file):
    before = images_file.read_text()
    first = run({"path": str(images_file), "digests": {"backend": NEW, "frontend": NEW}, "tag": "dev-v9"}, diff=True)
    assert first["changed"] is True, first
    assert first["images"]["backend"]["image"] == {"tag": "dev-v9", "digest": NEW}
    assert first["diff"]["before"] == before and first["diff"]["after"] == images_file.read_text()
    assert len(first["changes"]) == 4
    assert stat.S_IMODE(images_file.stat().st_mode) == 0o640
    assert sorted(os.listdir(images_file.parent)) == ["images-dev.yaml"], "no temporary file left behind"

    written = images_file.read_text()
    second = run({"path": str(images_file), "digests": {"backend": NEW, "frontend": NEW}, "tag": "dev-v9"}, diff=True)
    assert second["changed"] is False and second["changes"] == [] and "diff" not in second
    assert images_file.read_text() == written


def test_check_mode_reports_the_change_and_writes_nothing(images_file):
    before = images_file.read_text()
    result = run({"path": str(images_file), "digests": {"gateway": NEW}}, check=True, diff=True)
    assert result["changed"] is True
    assert result["changes"][0]["field"] == "digest" and result["changes"][0]["after"] == NEW
    assert NEW in result["diff"]["after"]
    assert images_file.read_text() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"digests": {"backend": "dev-v1.0.0"}}, "digests.backend is the tag 'dev-v1.0.0', not a digest"),
        ({"digests": {"backend": "sha256:1234"}}, "digests.backend 'sha256:1234' is a malformed digest"),
        ({"digests": {"backend": None}}, "digests.backend must be a digest"),
        ({"digests": {"backend": NEW}, "tag": NEW}, "tag '" + NEW + "' is a digest"),
        ({"digests": {"worker": NEW}}, "has no image worker; it lists frontend, backend, gateway"),
        ({"digests": "backend"}, "argument 'digests' is of type"),
        ({"digests": {}}, "digests is empty"),
    ],
)
def test_bad_input_fails_in_one_line_and_leaves_the_file(images_file, args, message):
    before = images_file.read_text()
    result = run(dict(args, path=str(images_file)))
    assert result["failed"] is True, result
    assert message in result["msg"] and "\n" not in result["msg"], result["msg"]
    assert images_file.read_text() == before


def test_a_missing_file_and_invalid_yaml_fail_in_one_line(tmp_path):
    missing = run({"path": str(tmp_path / "nope.yaml"), "digests": {"backend": NEW}})
    assert missing["failed"] and "does not exist" in missing["msg"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("backend:\n  image:\n    tag: [dev\n")
    result = run({"path": str(broken), "digests": {"backend": NEW}})
    assert result["failed"] and result["msg"].startswith(f"{broken}:") and "\n" not in result["msg"], result["msg"]
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00backend")
    result = run({"path": str(binary), "digests": {"backend": NEW}})
    assert result["failed"] and "\n" not in result["msg"], result["msg"]


def mutations(text):
    """Every line of the real file deleted, duplicated, indented by one more space, and replaced by a tab-indented copy."""
    lines = text.splitlines(keepends=True)
    for index in range(len(lines)):
        yield "deleted", index, "".join(lines[:index] + lines[index + 1 :])
        yield "duplicated", index, "".join(lines[: index + 1] + lines[index:])
        yield "indented", index, "".join([*lines[:index], " " + lines[index], *lines[index + 1 :]])
        yield "tabbed", index, "".join([*lines[:index], "\t" + lines[index].lstrip(" "), *lines[index + 1 :]])


def test_no_broken_file_gives_a_traceback_or_a_wrong_write(tmp_path):
    """Whatever the damage, the module either writes a file whose data is the old data with the new values, or fails in one line."""
    import yaml

    path = tmp_path / "images-dev.yaml"
    outcomes = {"changed": 0, "failed": 0}
    for kind, index, text in mutations(DEV.read_text()):
        path.write_text(text)
        result = run({"path": str(path), "digests": {"backend": NEW}, "tag": "dev-v9"})
        where = (kind, index + 1)
        assert "exception" not in result and "Traceback" not in json.dumps(result), where
        if result.get("failed"):
            assert "\n" not in result["msg"] and path.read_text() == text, where
            outcomes["failed"] += 1
            continue
        old = yaml.safe_load(text)
        old["backend"]["image"].update(tag="dev-v9", digest=NEW)
        assert yaml.safe_load(path.read_text()) == old, where
        outcomes["changed"] += result["changed"]
    assert outcomes["failed"] > 10 and outcomes["changed"] > 10, outcomes
