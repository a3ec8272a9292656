# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The line-level editor of the GitOps image files: the committed files and the layouts a person may write."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml

from ansible_collections.chatbot.platform.plugins.module_utils._gitops.images import GitopsImagesError, check_digest, locate, update, verify

ROOT = Path(__file__).resolve().parents[5]
CHART = ROOT / "charts" / "chatbot"
NEW = "sha256:" + "0123456789abcdef" * 4
OTHER = "sha256:" + "fedcba9876543210" * 4

SIMPLE = """# head comment
---
frontend:
  image:
    tag: "dev-1"
    digest: "sha256:{}"
backend:
  image:
    tag: "dev-1"
    digest: "sha256:{}"
""".format("1" * 64, "2" * 64)


def changed_lines(before, after):
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def apply(text, digests, tag=None):
    """update() then verify(), as the module runs them."""
    new, changes = update(text, digests, tag, "images.yaml")
    verify(yaml.safe_load(text), yaml.safe_load(new), digests, tag, "images.yaml")
    return new, changes


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_committed_files_change_in_the_digest_and_tag_lines_only(env):
    path = CHART / f"images-{env}.yaml"
    text = path.read_text()
    old = yaml.safe_load(text)
    new, changes = apply(text, {"backend": NEW, "frontend": OTHER}, f"{env}-9.9.9")
    assert changed_lines(text, new) == [
        f'-    tag: "{old["frontend"]["image"]["tag"]}"',
        f'-    digest: "{old["frontend"]["image"]["digest"]}"',
        f'+    tag: "{env}-9.9.9"',
        f'+    digest: "{OTHER}"',
        f'-    tag: "{old["backend"]["image"]["tag"]}"',
        f'-    digest: "{old["backend"]["image"]["digest"]}"',
        f'+    tag: "{env}-9.9.9"',
        f'+    digest: "{NEW}"',
    ]
    data = yaml.safe_load(new)
    assert list(data) == list(old), "key order"
    assert data["gateway"] == old["gateway"]
    assert [line for line in new.splitlines() if line.startswith("#")] == [line for line in text.splitlines() if line.startswith("#")]
    assert {c["image"] + "." + c["field"] for c in changes} == {"frontend.tag", "frontend.digest", "backend.tag", "backend.digest"}


def test_values_already_set_change_nothing():
    new, changes = apply(SIMPLE, {"backend": NEW}, "dev-2")
    again, changes_again = apply(new, {"backend": NEW}, "dev-2")
    assert changes and changes_again == [] and again == new
    same, none = apply(SIMPLE, {"frontend": "sha256:" + "1" * 64}, "dev-1")
    assert none == [] and same == SIMPLE


def test_without_a_tag_only_the_digest_changes():
    new, changes = apply(SIMPLE, {"frontend": NEW})
    assert changes == [{"image": "frontend", "field": "digest", "before": "sha256:" + "1" * 64, "after": NEW}]
    assert changed_lines(SIMPLE, new) == [f'-    digest: "sha256:{"1" * 64}"', f'+    digest: "{NEW}"']


def test_quoting_comments_line_endings_and_last_newline_are_kept():
    text = (
        "backend:   # the API\r\n"
        "  image:\r\n"
        "    tag: 'dev-1'   # release\r\n"
        "    digest: sha256:" + "3" * 64 + "  # what runs\r\n"
        'frontend:\r\n  image:\r\n    digest: "sha256:' + "4" * 64 + '"\r\n    tag: "dev-1"'
    )
    new, _changes = apply(text, {"backend": NEW, "frontend": OTHER}, "dev-2")
    assert new.split("\r\n") == [
        "backend:   # the API",
        "  image:",
        "    tag: 'dev-2'   # release",
        f'    digest: "{NEW}"  # what runs',
        "frontend:",
        "  image:",
        f'    digest: "{OTHER}"',
        '    tag: "dev-2"',
    ]


def test_a_plain_numeric_tag_is_quoted_so_it_stays_a_string():
    text = "backend:\n  image:\n    tag: 1.9\n    digest: sha256:" + "5" * 64 + "\n"
    new, _changes = apply(text, {"backend": NEW}, "1.10")
    assert yaml.safe_load(new)["backend"]["image"] == {"tag": "1.10", "digest": NEW}


def test_keys_of_other_mappings_are_not_taken_for_the_image():
    text = (
        "backend:\n"
        "  extra:\n    tag: keep\n    digest: keep\n"
        "  image:\n    nested:\n      tag: keep\n    tag: dev-1\n    digest: sha256:" + "6" * 64 + "\n"
        "  after:\n    digest: keep\n"
    )
    new, _changes = apply(text, {"backend": NEW}, "dev-2")
    data = yaml.safe_load(new)["backend"]
    assert data["extra"] == {"tag": "keep", "digest": "keep"} and data["after"] == {"digest": "keep"}
    assert data["image"] == {"nested": {"tag": "keep"}, "tag": "dev-2", "digest": NEW}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("dev-1.4.0", "digests.backend is the tag 'dev-1.4.0', not a digest: the image file pins images by digest"),
        ("latest", "digests.backend is the tag 'latest', not a digest"),
        ("chatbot/backend:dev", "digests.backend must be a digest (sha256:<64 lowercase hex digits>), got 'chatbot/backend:dev'"),
        ("sha256:" + "A" * 64, "digests.backend 'sha256:AAAA"),
        ("sha256:" + "a" * 63, "is a malformed digest: expected sha256: and 64 lowercase hex digits"),
        ("sha512:" + "a" * 128, "digests.backend must be a digest"),
        ("", "digests.backend must be a digest (sha256:<64 lowercase hex digits>), got ''"),
    ],
)
def test_a_tag_or_a_malformed_digest_is_refused_in_one_line(value, message):
    with pytest.raises(GitopsImagesError) as error:
        update(SIMPLE, {"backend": value}, None, "images.yaml")
    assert message in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        (NEW, "is a digest; give the release tag"),
        ("-bad", "'-bad' is not a valid image tag"),
        ("has space", "'has space' is not a valid image tag"),
        ("x" * 129, "is not a valid image tag"),
    ],
)
def test_a_bad_tag_is_refused(tag, message):
    with pytest.raises(GitopsImagesError, match=message.replace("(", r"\(")):
        update(SIMPLE, {"backend": NEW}, tag, "images.yaml")


@pytest.mark.parametrize(
    ("text", "digests", "tag", "message"),
    [
        (SIMPLE, {"gateway": NEW}, None, "images.yaml has no image gateway; it lists frontend, backend"),
        (SIMPLE, {}, None, "digests is empty"),
        ("backend:\n  image:\n    tag: dev-1\n", {"backend": NEW}, None, "backend.image has no 'digest:' line to set"),
        ("backend:\n  image:\n    digest: sha256:" + "1" * 64 + "\n", {"backend": NEW}, "dev-2", "backend.image has no 'tag:' line to set"),
        ("backend:\n  repository: x\n", {"backend": NEW}, None, "backend has no 'image:' mapping"),
        ("backend:\n  image:\n\ttag: x\n", {"backend": NEW}, None, "images.yaml:3: tab in the indentation"),
        ("  backend:\n", {"backend": NEW}, None, "images.yaml:1: indented line before any component"),
        ("- backend\n", {"backend": NEW}, None, "images.yaml:1: expected '<component>:' at the top level"),
        (SIMPLE + "backend:\n  image: {}\n", {"backend": NEW}, None, "component 'backend' appears twice"),
        (SIMPLE + "    tag: dev-0\n", {"backend": NEW}, None, "images.yaml:11: backend.image.tag appears twice"),
    ],
)
def test_files_and_inputs_it_cannot_edit_fail_in_one_line(text, digests, tag, message):
    with pytest.raises(GitopsImagesError) as error:
        update(text, digests, tag, "images.yaml")
    assert message in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("backend:\n  image:\n    tag: dev-1\n    digest: >-\n      sha256:" + "1" * 64 + "\n", 4),
        ("backend:\n  image:\n    tag: dev-1\n    digest: &d sha256:" + "1" * 64 + "\nfrontend:\n  image:\n    tag: dev-1\n    digest: *d\n", 4),
        ("backend:\n  image:\n    tag: !!str dev-1\n    digest: sha256:" + "1" * 64 + "\n", 3),
        ("backend:\n  image:\n    tag:\n    digest: sha256:" + "1" * 64 + "\n", 3),
    ],
)
def test_values_that_are_not_one_line_scalars_are_left_to_a_person(text, line):
    with pytest.raises(GitopsImagesError, match=f"images.yaml:{line}: .* is not a one-line plain or quoted value"):
        update(text, {"backend": NEW}, "dev-2", "images.yaml")


def test_a_layout_the_line_editor_gets_wrong_is_caught_by_the_check():
    """Two image mappings in one component: YAML keeps the last, the line editor edits the first."""
    text = SIMPLE + "  image:\n    tag: dev-0\n    digest: sha256:" + "7" * 64 + "\n"
    new, _changes = update(text, {"backend": NEW}, "dev-2", "images.yaml")
    with pytest.raises(GitopsImagesError, match=r"^images.yaml: the line-level edit did not give the expected data"):
        verify(yaml.safe_load(text), yaml.safe_load(new), {"backend": NEW}, "dev-2", "images.yaml")


def test_an_untouched_component_without_a_digest_fails_the_check():
    text = SIMPLE + "gateway:\n  image:\n    tag: dev-1\n"
    with pytest.raises(GitopsImagesError, match=r"images.yaml: gateway.image.digest must be a digest"):
        apply(text, {"backend": NEW})


def test_locate_finds_each_line():
    found = locate(SIMPLE.splitlines(), "x")
    assert found == {"frontend": {"image": 3, "indent": 4, "tag": 4, "digest": 5}, "backend": {"image": 7, "indent": 4, "tag": 8, "digest": 9}}


def test_check_digest_strips_and_accepts_a_digest():
    assert check_digest("  " + NEW + " ", "d") == NEW
