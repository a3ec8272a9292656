# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The image file of one environment in the GitOps tree (charts/chatbot/images-<env>.yaml), edited line by line.

The file maps each component to ``image.tag`` (the release the digest was built or promoted as) and ``image.digest``
(what runs: the chart renders ``repository@digest``)::

    # comments
    ---
    backend:
      image:
        tag: "dev-v1.0.0"
        digest: "sha256:<64 hex>"

Only the value of a ``tag:`` or ``digest:`` line is replaced; comments, blank lines, key order, indentation and
quoting stay as they were, so a bump is a two-line diff a reviewer can read. The edited text is parsed again and
compared with the expected data, so a layout this editor does not understand fails instead of writing a wrong file.
"""

from __future__ import annotations

import re

DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
# A Docker/OCI tag (the distribution spec's tag grammar).
TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
FIELDS = ("tag", "digest")

_KEY = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z0-9_.-]+):(?P<rest>.*)$")
# The value part of a `key: value  # comment` line: a double- or single-quoted scalar or a plain one.
_VALUE = re.compile(r"""^(?P<space>\s*)(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#][^#]*?)?(?P<tail>\s*(?:#.*)?)$""")


class GitopsImagesError(Exception):
    """A one-line message for the module to fail with."""


def check_digest(value, where):
    """A digest is what the file pins; a tag (or anything else) given in its place is refused."""
    text = "" if value is None else str(value).strip()
    if DIGEST.match(text):
        return text
    if ":" not in text and TAG.match(text):
        raise GitopsImagesError(f"{where} is the tag {text!r}, not a digest: the image file pins images by digest (sha256:<64 lowercase hex digits>)")
    if text.startswith("sha256:"):
        raise GitopsImagesError(f"{where} {text!r} is a malformed digest: expected sha256: and 64 lowercase hex digits")
    raise GitopsImagesError(f"{where} must be a digest (sha256:<64 lowercase hex digits>), got {text!r}")


def check_tag(value, where):
    text = str(value).strip()
    if DIGEST.match(text) or text.startswith("sha256:"):
        raise GitopsImagesError(f"{where} {text!r} is a digest; give the release tag (for example staging-1.4.0)")
    if not TAG.match(text):
        raise GitopsImagesError(f"{where} {text!r} is not a valid image tag (letters, digits, '_', '.', '-'; at most 128, not starting with '.' or '-')")
    return text


def _scalar(raw):
    """The text of a quoted or plain YAML scalar as written on one line."""
    if raw is None:
        return None
    if raw.startswith('"'):
        return raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    return raw


def _quote_like(raw, value):
    """Single quotes when the value it replaces had them, otherwise double quotes (a plain tag such as 1.10 would be
    read back as a number). Digests and tags contain neither quote nor backslash, so no escaping is needed."""
    if raw is not None and raw.startswith("'"):
        return "'" + value + "'"
    return '"' + value + '"'


def _is_top_key(line):
    match = _KEY.match(line)
    return bool(match and not match.group("indent"))


def locate(lines, path):
    """Line numbers of each image's ``image:`` key and its ``tag:``/``digest:`` lines.

    Returns {name: {"image": index or None, "indent": child indent or None, "tag": index or None, "digest": index or None}}.
    """
    images, current, image_indent = {}, None, None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise GitopsImagesError(f"{path}:{index + 1}: tab in the indentation; the image file is indented with spaces")
        match = _KEY.match(line)
        if match is None:
            if current is None:
                raise GitopsImagesError(f"{path}:{index + 1}: expected '<component>:' at the top level, got {stripped!r}")
            continue
        indent = len(match.group("indent"))
        if indent == 0:
            current = match.group("key")
            if current in images:
                raise GitopsImagesError(f"{path}:{index + 1}: component {current!r} appears twice")
            images[current] = {"image": None, "indent": None, "tag": None, "digest": None}
            image_indent = None
            continue
        if current is None:
            raise GitopsImagesError(f"{path}:{index + 1}: indented line before any component")
        entry = images[current]
        if image_indent is None or indent <= image_indent:
            # Outside the image mapping: its own key (once), or a sibling that ends it.
            image_indent = None
            if match.group("key") == "image" and entry["image"] is None:
                entry["image"], image_indent = index, indent
            continue
        if entry["indent"] is None:
            entry["indent"] = indent
        if indent == entry["indent"] and match.group("key") in FIELDS:
            if entry[match.group("key")] is not None:
                raise GitopsImagesError(f"{path}:{index + 1}: {current}.image.{match.group('key')} appears twice")
            entry[match.group("key")] = index
    return images


def _replace_value(line, value, path, number):
    match = _KEY.match(line)
    parts = _VALUE.match(match.group("rest"))
    if parts is None:
        raise GitopsImagesError(f"{path}:{number}: cannot read the value of {line.strip()!r}")
    raw = parts.group("value")
    if raw is None or raw.strip()[:1] in ("&", "*", "!", "|", ">", "{", "["):
        raise GitopsImagesError(f"{path}:{number}: {line.strip()!r} is not a one-line plain or quoted value; edit it by hand")
    current = _scalar(raw.strip())
    if current == value:
        return line, current
    space = parts.group("space") or " "
    new = f"{match.group('indent')}{match.group('key')}:{space}{_quote_like(raw, value)}{parts.group('tail')}"
    return new, current


def update(text, digests, tag=None, path="image file"):
    """Set each image's digest (and the release tag) in the file's text.

    Returns (new_text, changes) where changes lists {"image", "field", "before", "after"} for every value that differs.
    Raises GitopsImagesError with one line for a tag given as a digest, a malformed digest or tag, an image the file
    does not list, or a layout this editor cannot edit safely.
    """
    if not digests:
        raise GitopsImagesError("digests is empty: give at least one image and its digest")
    wanted = {}
    for name in sorted(digests):
        wanted[str(name)] = {"digest": check_digest(digests[name], f"digests.{name}")}
        if tag is not None:
            wanted[str(name)]["tag"] = check_tag(tag, "tag")

    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    found = locate(lines, path)
    missing = [name for name in wanted if name not in found]
    if missing:
        listed = ", ".join(found) or "none"
        raise GitopsImagesError(f"{path} has no image {', '.join(missing)}; it lists {listed} (add a new component by hand, with a comment)")

    changes = []
    for name, fields in wanted.items():
        entry = found[name]
        if entry["image"] is None:
            raise GitopsImagesError(f"{path}: {name} has no 'image:' mapping")
        for field in FIELDS:
            if field not in fields:
                continue
            index = entry[field]
            if index is None:
                raise GitopsImagesError(f"{path}: {name}.image has no '{field}:' line to set; add one under 'image:'")
            lines[index], before = _replace_value(lines[index], fields[field], path, index + 1)
            if before != fields[field]:
                changes.append({"image": name, "field": field, "before": before, "after": fields[field]})

    new_text = newline.join(lines) + (newline if text.endswith(("\n", "\r")) or not text else "")
    return new_text, changes


def verify(old_data, new_data, digests, tag, path="image file"):
    """The edited file, parsed, must be the old data with exactly the requested values set, and every image pinned by digest."""
    if not isinstance(new_data, dict):
        raise GitopsImagesError(f"{path} is not a mapping of components after the edit")
    expected = {}
    for name, values in (old_data or {}).items():
        if name not in digests:
            expected[name] = values
            continue
        image = dict((values or {}).get("image") or {})
        image["digest"] = digests[name]
        if tag is not None:
            image["tag"] = tag
        expected[name] = dict(values or {}, image=image)
    if new_data != expected:
        raise GitopsImagesError(f"{path}: the line-level edit did not give the expected data (an unusual layout, such as a repeated key); edit it by hand")
    for name, values in new_data.items():
        image = (values or {}).get("image") or {}
        check_digest(image.get("digest"), f"{path}: {name}.image.digest")
    return expected
