# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Repository policies: the cross-account pull policy, validation and semantic comparison."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import ACCOUNT_ID_RE, EcrError

# What a cluster node (or a kubelet credential provider) in another account needs to pull an image.
PULL_ACTIONS = ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
PULL_STATEMENT_SID = "CrossAccountPull"


def build_pull_policy(account_ids, partition="aws"):
    """A repository policy that lets the given accounts pull (never push) images."""
    accounts = []
    for account in account_ids:
        account = str(account)
        if not ACCOUNT_ID_RE.match(account):
            raise EcrError(f"pull_account_ids: {account!r} is not a 12-digit AWS account ID")
        if account not in accounts:
            accounts.append(account)
    if not accounts:
        return None
    principals = sorted(f"arn:{partition}:iam::{account}:root" for account in accounts)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": PULL_STATEMENT_SID,
                "Effect": "Allow",
                "Principal": {"AWS": principals if len(principals) > 1 else principals[0]},
                "Action": sorted(PULL_ACTIONS),
            }
        ],
    }


def validate_policy_document(document, option="policy"):
    if not isinstance(document, dict):
        raise EcrError(f"{option} must be a JSON object")
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise EcrError(f"{option} needs a 'Statement' (an object or a non-empty list)")
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict):
            raise EcrError(f"{option} Statement {index + 1} must be an object")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise EcrError(f"{option} Statement {index + 1}: Effect must be 'Allow' or 'Deny'")
        if "Action" not in statement and "NotAction" not in statement:
            raise EcrError(f"{option} Statement {index + 1} has no Action")
    return document


def policies_differ(current, desired):
    """True when the two policies grant different things.

    Order of statements, actions and principals, a single value versus a one-element list and an account
    ID versus its root ARN are all the same policy (amazon.aws compare_policies).
    """
    if not current and not desired:
        return False
    if not current or not desired:
        return True
    return compare_policies(current, desired)
