# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""KMS key references (key ID, key ARN, alias name, alias ARN) resolved to the key ARN that ECR stores."""

from __future__ import annotations

import re

from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import EcrError

KEY_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
# What KMS accepts as a KeyId: a key ID (multi-Region keys start with mrk-), a key ARN, alias/<name> or an alias ARN.
KEY_REFERENCE_RE = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}"
    r"|alias/[A-Za-z0-9/_-]{1,250}"
    r"|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key/(?:[0-9a-f-]{36}|mrk-[0-9a-f]{32})|alias/[A-Za-z0-9/_-]{1,250}))$"
)


def validate_key_reference(key, option="encryption.kms_key"):
    if key is not None and not KEY_REFERENCE_RE.match(key):
        raise EcrError(f"{option} {key!r} is not a KMS key ID, key ARN, alias/<name> or alias ARN")


def is_key_arn(value):
    return bool(value) and KEY_ARN_RE.match(value) is not None


def resolve_kms_key(api, key, cache=None):
    """The ARN of the KMS key that ``key`` names; a key ARN is returned as is without a call."""
    if not key:
        return None
    if is_key_arn(key):
        return key
    if cache is not None and key in cache:
        return cache[key]
    response = api.call("describe_key", f"resolve KMS key {key!r}", missing=("NotFoundException",), client=api.kms, KeyId=key)
    if response is None:
        raise EcrError(f"KMS key {key!r} was not found in this account and region (give a key ID, key ARN, alias/<name> or alias ARN)")
    arn = response["KeyMetadata"]["Arn"]
    if cache is not None:
        cache[key] = arn
    return arn
