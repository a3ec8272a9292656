# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECR lifecycle policies: build them from structured rules, validate them, compare them semantically."""

from __future__ import annotations

import copy

from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import EcrError

TAG_STATUSES = ("tagged", "untagged", "any")
COUNT_TYPES = ("imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned")
ACTION_TYPES = ("expire", "transition")
MAX_WILDCARDS_PER_PATTERN = 4


def build_lifecycle_policy(rules):
    """The lifecycle policy document for the module's structured ``lifecycle_rules``."""
    built = []
    for index, rule in enumerate(rules):
        where = f"lifecycle_rules[{index}]"
        if not isinstance(rule, dict):
            raise EcrError(f"{where} must be a dictionary")
        priority = rule.get("priority")
        if priority is None:
            priority = index + 1
        tag_status = rule.get("tag_status")
        if tag_status not in TAG_STATUSES:
            raise EcrError(f"{where}.tag_status must be one of {', '.join(TAG_STATUSES)}, got {tag_status!r}")
        count = rule.get("max_image_count")
        age = rule.get("max_age_days")
        if (count is None) == (age is None):
            raise EcrError(f"{where} needs exactly one of max_image_count or max_age_days")
        selection = {"tagStatus": tag_status}
        if rule.get("tag_prefixes"):
            selection["tagPrefixList"] = list(rule["tag_prefixes"])
        if rule.get("tag_patterns"):
            selection["tagPatternList"] = list(rule["tag_patterns"])
        if count is not None:
            selection.update(countType="imageCountMoreThan", countNumber=count)
        else:
            selection.update(countType="sinceImagePushed", countUnit="days", countNumber=age)
        entry = {"rulePriority": priority, "selection": selection, "action": {"type": "expire"}}
        if rule.get("description"):
            entry["description"] = rule["description"]
        built.append(entry)
    document = {"rules": built}
    validate_lifecycle_policy(document, "lifecycle_rules")
    return document


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def validate_lifecycle_policy(document, option="lifecycle_policy"):
    """Reject what ECR would reject (and a few mistakes it accepts silently), one readable line each."""
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list) or not document["rules"]:
        raise EcrError(f"{option} must be an object with a non-empty 'rules' list")
    priorities = {}
    any_priority = None
    for index, rule in enumerate(document["rules"]):
        where = f"{option} rule {index + 1}"
        if not isinstance(rule, dict):
            raise EcrError(f"{where} must be an object")
        priority = rule.get("rulePriority")
        if not _is_int(priority) or priority < 1:
            raise EcrError(f"{where}: rulePriority must be an integer of 1 or more, got {priority!r}")
        where = f"{option} rule with priority {priority}"
        if priority in priorities:
            raise EcrError(f"{option}: rulePriority {priority} is used by more than one rule")
        priorities[priority] = rule
        selection = rule.get("selection")
        if not isinstance(selection, dict):
            raise EcrError(f"{where}: 'selection' must be an object")
        status = selection.get("tagStatus")
        if status not in TAG_STATUSES:
            raise EcrError(f"{where}: tagStatus must be one of {', '.join(TAG_STATUSES)}, got {status!r}")
        prefixes = selection.get("tagPrefixList")
        patterns = selection.get("tagPatternList")
        if status == "tagged":
            if bool(prefixes) == bool(patterns):
                raise EcrError(f"{where}: a rule for tagged images needs exactly one of tag prefixes (tagPrefixList) or tag patterns (tagPatternList)")
        elif prefixes or patterns:
            raise EcrError(f"{where}: tag prefixes and tag patterns only apply to rules for tagged images, not {status!r}")
        for name, values in (("tagPrefixList", prefixes), ("tagPatternList", patterns)):
            if values is None:
                continue
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise EcrError(f"{where}: {name} must be a list of non-empty strings")
        for pattern in patterns or []:
            if pattern.count("*") > MAX_WILDCARDS_PER_PATTERN:
                raise EcrError(f"{where}: tag pattern {pattern!r} has more than {MAX_WILDCARDS_PER_PATTERN} wildcards")
        count_type = selection.get("countType")
        if count_type not in COUNT_TYPES:
            raise EcrError(f"{where}: countType must be one of {', '.join(COUNT_TYPES)}, got {count_type!r}")
        number = selection.get("countNumber")
        if not _is_int(number) or number < 1:
            raise EcrError(f"{where}: countNumber must be an integer of 1 or more, got {number!r}")
        if count_type == "imageCountMoreThan" and "countUnit" in selection:
            raise EcrError(f"{where}: countUnit does not apply to countType imageCountMoreThan")
        if count_type != "imageCountMoreThan" and selection.get("countUnit") != "days":
            raise EcrError(f"{where}: countType {count_type} needs countUnit 'days'")
        action = rule.get("action")
        if not isinstance(action, dict) or action.get("type") not in ACTION_TYPES:
            raise EcrError(f"{where}: action.type must be one of {', '.join(ACTION_TYPES)}")
        if status == "any":
            if any_priority is not None:
                raise EcrError(f"{option}: only one rule may select tag status 'any'")
            any_priority = priority
    if any_priority is not None and any_priority != max(priorities):
        raise EcrError(f"{option}: the rule for tag status 'any' (priority {any_priority}) must have the highest rulePriority ({max(priorities)} is higher)")
    return document


def normalize_lifecycle_policy(document):
    """A canonical form: rules sorted by priority, tag lists sorted, so key order and spacing do not matter."""
    if not document:
        return None
    canonical = copy.deepcopy(document)
    rules = canonical.get("rules") or []
    for rule in rules:
        selection = rule.get("selection") or {}
        for key in ("tagPrefixList", "tagPatternList"):
            if isinstance(selection.get(key), list):
                selection[key] = sorted(selection[key])
    canonical["rules"] = sorted(rules, key=lambda r: r.get("rulePriority") if _is_int(r.get("rulePriority")) else 0)
    return canonical


def lifecycle_policies_differ(current, desired):
    return normalize_lifecycle_policy(current) != normalize_lifecycle_policy(desired)
