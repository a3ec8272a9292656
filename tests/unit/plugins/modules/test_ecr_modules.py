# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level unit tests: bad input to every option of the four ecr_* modules fails in one line, before any AWS call.

One row per kind of mistake a careless or hostile user makes with each option: a wrong type, a value out of
range, a malformed value, a conflicting combination. Each must end the run with one readable line that names
the option, and with no request sent (botocore's request path fails the test if anything reaches it).
Messages longer than 120 characters (Ansible's own type errors list every valid boolean) are compared by
their first 120 characters.
"""

from __future__ import annotations

import contextlib
import io
import json

import botocore.client
import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.chatbot.platform.plugins.modules import ecr_image, ecr_image_info, ecr_registry, ecr_repository

CONN = {"region": "eu-west-1", "access_key": "AKIDEXAMPLE", "secret_key": "not-a-real-secret", "endpoint_url": "http://127.0.0.1:9"}
REPO = ecr_repository
IMAGE = ecr_image
INFO = ecr_image_info
REG = ecr_registry
R = {"name": "app"}
I = {"repository": "app", "tag": "dev"}  # noqa: E741 - one letter like the others, for the table's width
N = {"repository": "app"}
ANY = [{"tag_status": "any", "max_image_count": 5}]
DEST = {"destinations": [{"region": "eu-central-1"}]}
SCAN_RULE = {"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}
CACHE = {"prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws"}
SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/hub-AbCdEf"


@pytest.fixture(autouse=True)
def no_aws_calls(monkeypatch):
    calls = []

    def make_api_call(self, operation_name, api_params):
        calls.append(operation_name)
        raise AssertionError(f"no AWS call expected, got {operation_name}")

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", make_api_call)
    return calls


def run(module, args):
    out = io.StringIO()
    with patch_module_args(dict(CONN, **args)), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        module.main()
    text = out.getvalue()
    return json.loads(text[text.index("{") :])


BAD_INPUT = [
    (REPO, {}, "name: missing", "missing required arguments: name"),
    (
        REPO,
        {"name": "Chatbot/UPPER"},
        "name: format",
        "name 'Chatbot/UPPER' is not a valid repository name (2-256 lowercase letters, digits and . _ - / separators)",
    ),
    (
        REPO,
        {"name": "a" * 257},
        "name: length",
        "name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ),
    (REPO, dict(R, registry_id="abc"), "registry_id: format", "registry_id 'abc' is not a 12-digit AWS account ID"),
    (REPO, dict(R, registry_id="12345678901"), "registry_id: 11 digits", "registry_id '12345678901' is not a 12-digit AWS account ID"),
    (REPO, dict(R, state="gone"), "state: choice", "value of state must be one of: present, absent, got: gone"),
    (REPO, dict(R, tags={"versions": [1, 2]}), "tags: list value", "tags.versions must be a string, got a list: [1, 2]"),
    (REPO, dict(R, tags={"enabled": True}), "tags: bool value", "tags.enabled must be a string, got a boolean (quote it): True"),
    (REPO, dict(R, tags={"owner": None}), "tags: null value", "tags.owner must be a string, got null (use '' for an empty value): None"),
    (REPO, dict(R, tags={"x": {"a": 1}}), "tags: dict value", "tags.x must be a string, got a dict: {'a': 1}"),
    (
        REPO,
        dict(R, tags={"aws:created": "me"}),
        "tags: reserved key",
        "tags key 'aws:created' must be 1-128 letters, digits, spaces or _ . : / = + - @ and must not start with 'aws:'",
    ),
    (
        REPO,
        dict(R, tags={"k" * 129: "v"}),
        "tags: key length",
        "tags key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
    ),
    (
        REPO,
        dict(R, tags={"k": "v" * 257}),
        "tags: value length",
        "tags.k must be 0-256 letters, digits, spaces or _ . : / = + - @, got 'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
    ),
    (
        REPO,
        dict(R, tags={"bad#key": "v"}),
        "tags: key characters",
        "tags key 'bad#key' must be 1-128 letters, digits, spaces or _ . : / = + - @ and must not start with 'aws:'",
    ),
    (REPO, dict(R, tags={f"k{i}": "v" for i in range(51)}), "tags: count", "tags has 51 tags; AWS allows at most 50"),
    (REPO, dict(R, tags=5), "tags: type", "argument 'tags' is of type int and we were unable to convert to dict: <class 'int'> cannot be converted to a dict"),
    (
        REPO,
        dict(R, purge_tags="maybe"),
        "purge_tags: type",
        "argument 'purge_tags' is of type str and we were unable to convert to bool: The value 'maybe' is not a valid boolean. Va",
    ),
    (
        REPO,
        dict(R, image_tag_mutability="sometimes"),
        "image_tag_mutability: choice",
        "value of image_tag_mutability must be one of: mutable, immutable, mutable_with_exclusion, immutable_with_exclusion, got:",
    ),
    (
        REPO,
        dict(R, image_tag_mutability_exclusion_filters=["x"]),
        "exclusion filters: without mutability",
        "missing parameter(s) required by 'image_tag_mutability_exclusion_filters': image_tag_mutability",
    ),
    (
        REPO,
        dict(R, image_tag_mutability="immutable", image_tag_mutability_exclusion_filters=["x"]),
        "exclusion filters: conflict",
        "image_tag_mutability_exclusion_filters only apply to mutable_with_exclusion or immutable_with_exclusion, not immutable",
    ),
    (
        REPO,
        dict(R, image_tag_mutability="immutable_with_exclusion"),
        "exclusion filters: missing",
        "image_tag_mutability=immutable_with_exclusion needs image_tag_mutability_exclusion_filters (1 to 5 tag filters)",
    ),
    (
        REPO,
        dict(R, image_tag_mutability="immutable_with_exclusion", image_tag_mutability_exclusion_filters=list("abcdef")),
        "exclusion filters: count",
        "image_tag_mutability_exclusion_filters allows at most 5 filters, got 6",
    ),
    (
        REPO,
        dict(R, image_tag_mutability="mutable_with_exclusion", image_tag_mutability_exclusion_filters=["a b"]),
        "exclusion filters: format",
        "image_tag_mutability_exclusion_filters: 'a b' must be 1-128 letters, digits, '.', '_', '-' or '*'",
    ),
    (
        REPO,
        dict(R, scan_on_push="perhaps"),
        "scan_on_push: type",
        "argument 'scan_on_push' is of type str and we were unable to convert to bool: The value 'perhaps' is not a valid boolean",
    ),
    (REPO, dict(R, encryption={"kms_key": "alias/x"}), "encryption.type: missing", "missing required arguments: type found in encryption"),
    (REPO, dict(R, encryption={"type": "RSA"}), "encryption.type: choice", "value of type must be one of: AES256, KMS, KMS_DSSE, got: RSA found in encryption"),
    (
        REPO,
        dict(R, encryption={"type": "AES256", "kms_key": "alias/x"}),
        "encryption: conflict",
        "encryption.kms_key only applies to the KMS and KMS_DSSE encryption types",
    ),
    (
        REPO,
        dict(R, encryption={"type": "KMS", "kms_key": "my key"}),
        "encryption.kms_key: format",
        "encryption.kms_key 'my key' is not a KMS key ID, key ARN, alias/<name> or alias ARN",
    ),
    (REPO, dict(R, encryption="KMS"), "encryption: type", "dictionary requested, could not parse JSON or key=value"),
    (
        REPO,
        dict(R, lifecycle_policy="[1, 2"),
        "lifecycle_policy: JSON",
        "lifecycle_policy is not valid JSON: Expecting ',' delimiter: line 1 column 6 (char 5)",
    ),
    (REPO, dict(R, lifecycle_policy=[1, 2]), "lifecycle_policy: not an object", "lifecycle_policy must be an object with a non-empty 'rules' list"),
    (REPO, dict(R, lifecycle_policy=3), "lifecycle_policy: type", "lifecycle_policy must be a JSON object or a JSON string, got int"),
    (
        REPO,
        dict(R, lifecycle_policy={"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged"}}]}),
        "lifecycle_policy: tagged without prefixes",
        "lifecycle_policy rule with priority 1: a rule for tagged images needs exactly one of tag prefixes (tagPrefixList) or tag",
    ),
    (
        REPO,
        dict(R, lifecycle_policy={"rules": []}, lifecycle_rules=ANY),
        "lifecycle: conflict",
        "parameters are mutually exclusive: lifecycle_policy|lifecycle_rules",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any", "max_image_count": 5, "priority": 0}]),
        "lifecycle_rules.priority: range",
        "lifecycle_rules rule 1: rulePriority must be an integer of 1 or more, got 0",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "untagged", "max_age_days": 5, "priority": 1}, {"tag_status": "any", "max_image_count": 5, "priority": 1}]),
        "lifecycle_rules.priority: duplicate",
        "lifecycle_rules: rulePriority 1 is used by more than one rule",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any", "max_image_count": 5, "priority": "first"}]),
        "lifecycle_rules.priority: type",
        "argument 'priority' is of type str found in 'lifecycle_rules'. and we were unable to convert to int: \"'first'\" cannot be",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "some", "max_image_count": 5}]),
        "lifecycle_rules.tag_status: choice",
        "value of tag_status must be one of: tagged, untagged, any, got: some found in lifecycle_rules",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"max_image_count": 5}]),
        "lifecycle_rules.tag_status: missing",
        "missing required arguments: tag_status found in lifecycle_rules",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "untagged", "tag_prefixes": ["v"], "max_image_count": 5}]),
        "lifecycle_rules.tag_prefixes: untagged",
        "lifecycle_rules rule with priority 1: tag prefixes and tag patterns only apply to rules for tagged images, not 'untagged",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "tagged", "tag_prefixes": [""], "max_image_count": 5}]),
        "lifecycle_rules.tag_prefixes: empty",
        "lifecycle_rules rule with priority 1: tagPrefixList must be a list of non-empty strings",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "tagged", "tag_patterns": ["*a*b*c*d*"], "max_image_count": 5}]),
        "lifecycle_rules.tag_patterns: wildcards",
        "lifecycle_rules rule with priority 1: tag pattern '*a*b*c*d*' has more than 4 wildcards",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "tagged", "tag_prefixes": ["v"], "tag_patterns": ["v*"], "max_image_count": 1}]),
        "lifecycle_rules: prefixes and patterns",
        "parameters are mutually exclusive: tag_prefixes|tag_patterns found in lifecycle_rules",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "tagged", "max_image_count": 3}]),
        "lifecycle_rules: tagged without prefixes",
        "lifecycle_rules rule with priority 1: a rule for tagged images needs exactly one of tag prefixes (tagPrefixList) or tag ",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any", "max_image_count": 0}]),
        "lifecycle_rules.max_image_count: range",
        "lifecycle_rules rule with priority 1: countNumber must be an integer of 1 or more, got 0",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any", "max_age_days": -1}]),
        "lifecycle_rules.max_age_days: range",
        "lifecycle_rules rule with priority 1: countNumber must be an integer of 1 or more, got -1",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any", "max_age_days": "week"}]),
        "lifecycle_rules.max_age_days: type",
        "argument 'max_age_days' is of type str found in 'lifecycle_rules'. and we were unable to convert to int: \"'week'\" cannot",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any", "max_image_count": 1, "max_age_days": 1}]),
        "lifecycle_rules: count and age",
        "parameters are mutually exclusive: max_image_count|max_age_days found in lifecycle_rules",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any"}]),
        "lifecycle_rules: neither count nor age",
        "one of the following is required: max_image_count, max_age_days found in lifecycle_rules",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any", "max_image_count": 5}, {"tag_status": "untagged", "max_age_days": 5}]),
        "lifecycle_rules: any not last",
        "lifecycle_rules: the rule for tag status 'any' (priority 1) must have the highest rulePriority (2 is higher)",
    ),
    (
        REPO,
        dict(R, lifecycle_rules=[{"tag_status": "any", "max_image_count": 5, "colour": "red"}]),
        "lifecycle_rules: unknown option",
        "Unsupported parameters for (basic.py) module: lifecycle_rules.colour. Supported parameters include: description, max_age",
    ),
    (
        REPO,
        dict(R, policy="{not json"),
        "policy: JSON",
        "policy is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ),
    (REPO, dict(R, policy={"Version": "2012-10-17"}), "policy: no Statement", "policy needs a 'Statement' (an object or a non-empty list)"),
    (REPO, dict(R, policy={"Statement": [{"Effect": "Maybe", "Action": "ecr:*"}]}), "policy: Effect", "policy Statement 1: Effect must be 'Allow' or 'Deny'"),
    (REPO, dict(R, policy={"Statement": [{"Effect": "Allow"}]}), "policy: no Action", "policy Statement 1 has no Action"),
    (REPO, dict(R, policy={}, pull_account_ids=[]), "policy: conflict", "parameters are mutually exclusive: policy|pull_account_ids"),
    (REPO, dict(R, pull_account_ids=["12345"]), "pull_account_ids: format", "pull_account_ids: '12345' is not a 12-digit AWS account ID"),
    (
        REPO,
        dict(R, force_delete="yes please"),
        "force_delete: type",
        "argument 'force_delete' is of type str and we were unable to convert to bool: The value 'yes please' is not a valid bool",
    ),
    (
        REPO,
        dict(R, colour="red"),
        "unknown option",
        "Unsupported parameters for (basic.py) module: colour. Supported parameters include: access_key, aws_ca_bundle, aws_confi",
    ),
    (IMAGE, {"tag": "dev"}, "repository: missing", "missing required arguments: repository"),
    (
        IMAGE,
        dict(I, repository="UP"),
        "repository: format",
        "repository 'UP' is not a valid repository name (2-256 lowercase letters, digits and . _ - / separators)",
    ),
    (IMAGE, dict(I, registry_id="abc"), "registry_id: format", "registry_id 'abc' is not a 12-digit AWS account ID"),
    (IMAGE, {"repository": "app"}, "tag/digest: neither", "one of the following is required: tag, digest"),
    (IMAGE, dict(I, tag="-bad"), "tag: format", "'-bad' is not a valid image tag (1-300 letters, digits, '_', '.', '-'; not starting with '.' or '-')"),
    (
        IMAGE,
        dict(I, tag="t" * 301),
        "tag: length",
        "'ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
    ),
    (IMAGE, dict(I, digest="sha256:xyz"), "digest: format", "digest 'sha256:xyz' is not an image digest such as sha256:<64 hex characters>"),
    (
        IMAGE,
        dict(I, promote_tags=["ok", "a b"]),
        "promote_tags: format",
        "'a b' is not a valid image tag (1-300 letters, digits, '_', '.', '-'; not starting with '.' or '-')",
    ),
    (
        IMAGE,
        dict(I, start_scan="sometimes"),
        "start_scan: type",
        "argument 'start_scan' is of type str and we were unable to convert to bool: The value 'sometimes' is not a valid boolean",
    ),
    (
        IMAGE,
        dict(I, wait_for_scan="sometimes"),
        "wait_for_scan: type",
        "argument 'wait_for_scan' is of type str and we were unable to convert to bool: The value 'sometimes' is not a valid bool",
    ),
    (IMAGE, dict(I, scan_timeout=-1), "scan_timeout: below", "scan_timeout must be between 0 and 86400 seconds (a day), got -1"),
    (
        IMAGE,
        dict(I, scan_timeout=10**30),
        "scan_timeout: above",
        "scan_timeout must be between 0 and 86400 seconds (a day), got 1000000000000000000000000000000",
    ),
    (
        IMAGE,
        dict(I, scan_timeout="soon"),
        "scan_timeout: type",
        "argument 'scan_timeout' is of type str and we were unable to convert to int: \"'soon'\" cannot be converted to an int",
    ),
    (IMAGE, dict(I, gate="strict"), "gate: type", "dictionary requested, could not parse JSON or key=value"),
    (
        IMAGE,
        dict(I, gate={"max_findings": {"severe": 0}}),
        "gate.max_findings: severity",
        "gate.max_findings has unknown severity 'severe'; use one of critical, high, medium, low, informational, undefined, untri",
    ),
    (
        IMAGE,
        dict(I, gate={"max_findings": {"high": -1}}),
        "gate.max_findings: negative",
        "gate.max_findings.high must be a whole number of findings of 0 or more, got -1",
    ),
    (
        IMAGE,
        dict(I, gate={"max_findings": {"high": "lots"}}),
        "gate.max_findings: not a number",
        "gate.max_findings.high must be a whole number of findings, got 'lots'",
    ),
    (
        IMAGE,
        dict(I, gate={"max_findings": {"high": 1.5}}),
        "gate.max_findings: fraction",
        "gate.max_findings.high must be a whole number of findings of 0 or more, got 1.5",
    ),
    (IMAGE, dict(I, gate={"max_findings": {"high": 0, "HIGH": 1}}), "gate.max_findings: duplicate", "gate.max_findings lists severity high more than once"),
    (
        IMAGE,
        dict(I, gate={"allowlist": [{"expires": "2030-01-01"}]}),
        "gate.allowlist.id: missing",
        "missing required arguments: id found in gate -> allowlist",
    ),
    (
        IMAGE,
        dict(I, gate={"allowlist": [{"id": "CVE-1"}]}),
        "gate.allowlist.expires: missing",
        "missing required arguments: expires found in gate -> allowlist",
    ),
    (
        IMAGE,
        dict(I, gate={"allowlist": [{"id": "CVE-1", "expires": "next week"}]}),
        "gate.allowlist.expires: format",
        "gate.allowlist[0].expires must be a date as YYYY-MM-DD, got 'next week'",
    ),
    (
        IMAGE,
        dict(I, gate={"allowlist": [{"id": "CVE-1", "expires": "2030-02-30"}]}),
        "gate.allowlist.expires: no such day",
        "gate.allowlist[0].expires must be a date as YYYY-MM-DD, got '2030-02-30'",
    ),
    (
        IMAGE,
        dict(I, gate={"allowlist": [{"id": "CVE-1", "expires": "2030-01-01"}, {"id": "cve-1", "expires": "2030-01-01"}]}),
        "gate.allowlist: duplicate",
        "gate.allowlist lists cve-1 more than once",
    ),
    (
        IMAGE,
        dict(I, gate={"allowlist": [{"id": " ", "expires": "2030-01-01"}]}),
        "gate.allowlist.id: blank",
        "gate.allowlist[0].id is required (a vulnerability ID such as CVE-2024-12345)",
    ),
    (IMAGE, dict(I, gate={"allowlist": ["CVE-1"]}), "gate.allowlist: not a dict", "dictionary requested, could not parse JSON or key=value"),
    (INFO, {}, "repository: missing", "missing required arguments: repository"),
    (
        INFO,
        dict(N, repository="UP"),
        "repository: format",
        "repository 'UP' is not a valid repository name (2-256 lowercase letters, digits and . _ - / separators)",
    ),
    (INFO, dict(N, registry_id="abc"), "registry_id: format", "registry_id 'abc' is not a 12-digit AWS account ID"),
    (INFO, dict(N, tag_status="some"), "tag_status: choice", "value of tag_status must be one of: tagged, untagged, any, got: some"),
    (
        INFO,
        dict(N, image_tags=["a b"]),
        "image_tags: format",
        "image_tags: 'a b' is not a valid image tag (1-300 letters, digits, '_', '.', '-'; not starting with '.' or '-')",
    ),
    (
        INFO,
        dict(N, image_digests=["sha256:xyz"]),
        "image_digests: format",
        "image_digests: 'sha256:xyz' is not an image digest such as sha256:<64 hex characters>",
    ),
    (INFO, dict(N, tag_patterns=["v 1*"]), "tag_patterns: format", "tag_patterns: 'v 1*' must be 1-128 letters, digits, '.', '_', '-' or '*'"),
    (INFO, dict(N, pushed_within_days=-1), "pushed_within_days: below", "pushed_within_days must be between 0 and 36500 (100 years), got -1"),
    (
        INFO,
        dict(N, pushed_within_days=10**9),
        "pushed_within_days: above (was OverflowError)",
        "pushed_within_days must be between 0 and 36500 (100 years), got 1000000000",
    ),
    (
        INFO,
        dict(N, pushed_within_days="week"),
        "pushed_within_days: type",
        "argument 'pushed_within_days' is of type str and we were unable to convert to int: \"'week'\" cannot be converted to an in",
    ),
    (INFO, dict(N, max_results=0), "max_results: range", "max_results must be 1 or more, got 0"),
    (
        INFO,
        dict(N, max_results="all"),
        "max_results: type",
        "argument 'max_results' is of type str and we were unable to convert to int: \"'all'\" cannot be converted to an int",
    ),
    (REG, {}, "nothing to manage", "one of the following is required: replication_rules, scanning, pull_through_cache_rules"),
    (REG, {"replication_rules": [DEST] * 11}, "replication_rules: count", "replication_rules has 11 rules; ECR allows at most 10"),
    (
        REG,
        {"replication_rules": [{"repository_prefixes": ["chatbot/"]}]},
        "replication destinations: missing",
        "missing required arguments: destinations found in replication_rules",
    ),
    (
        REG,
        {"replication_rules": [{"destinations": []}]},
        "replication destinations: empty",
        "replication_rules[0].destinations needs 1 to 25 destinations, got 0",
    ),
    (
        REG,
        {"replication_rules": [{"destinations": [{"region": "mars-1"}]}]},
        "replication region: format",
        "replication_rules[0].destinations[0].region 'mars-1' is not an AWS region such as eu-central-1",
    ),
    (
        REG,
        {"replication_rules": [{"destinations": [{"registry_id": "111111111111"}]}]},
        "replication region: missing",
        "missing required arguments: region found in replication_rules -> destinations",
    ),
    (
        REG,
        {"replication_rules": [{"destinations": [{"region": "eu-central-1", "registry_id": "abc"}]}]},
        "replication registry_id: format",
        "replication_rules[0].destinations[0].registry_id 'abc' is not a 12-digit AWS account ID",
    ),
    (
        REG,
        {"replication_rules": [{"destinations": [{"region": "eu-west-1"}]}]},
        "replication: to itself",
        "replication_rules[0].destinations[0] is this registry itself (this account in eu-west-1); replicate to another region or",
    ),
    (
        REG,
        {"replication_rules": [{"destinations": [{"region": "eu-central-1"}, {"region": "eu-central-1"}]}]},
        "replication: duplicate destination",
        "replication_rules[0].destinations[1] repeats an earlier destination of the same rule",
    ),
    (
        REG,
        {"replication_rules": [dict(DEST, repository_prefixes=["Chatbot/"])]},
        "replication prefixes: format",
        "replication_rules[0].repository_prefixes: 'Chatbot/' must be 2-256 lowercase letters, digits, '.', '_', '-' and '/'",
    ),
    (REG, {"replication_rules": "all"}, "replication_rules: type", "dictionary requested, could not parse JSON or key=value"),
    (REG, {"scanning": {"rules": [SCAN_RULE]}}, "scanning.scan_type: missing", "missing required arguments: scan_type found in scanning"),
    (REG, {"scanning": {"scan_type": "DEEP"}}, "scanning.scan_type: choice", "value of scan_type must be one of: BASIC, ENHANCED, got: DEEP found in scanning"),
    (
        REG,
        {"scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "HOURLY", "repository_filters": ["*"]}]}},
        "scanning frequency: choice",
        "value of scan_frequency must be one of: SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL, got: HOURLY found in scanning -> rules",
    ),
    (
        REG,
        {"scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["*"]}]}},
        "scanning: continuous needs enhanced",
        "scanning.rules[0]: CONTINUOUS_SCAN needs scan_type ENHANCED",
    ),
    (
        REG,
        {"scanning": {"scan_type": "BASIC", "rules": [SCAN_RULE, SCAN_RULE]}},
        "scanning: duplicate frequency",
        "scanning.rules: scan frequency SCAN_ON_PUSH appears in more than one rule; put all its filters in one rule",
    ),
    (
        REG,
        {"scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH"}]}},
        "scanning filters: missing",
        "missing required arguments: repository_filters found in scanning -> rules",
    ),
    (
        REG,
        {"scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": []}]}},
        "scanning filters: empty",
        "scanning.rules[0].repository_filters needs at least one filter (use '*' for every repository)",
    ),
    (
        REG,
        {"scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["Chatbot/*"]}]}},
        "scanning filters: format",
        "scanning.rules[0].repository_filters: 'Chatbot/*' must be lowercase letters, digits and '*', separated by single '.', '_",
    ),
    (REG, {"pull_through_cache_rules": [CACHE, CACHE]}, "cache: duplicate prefix", "pull_through_cache_rules lists prefix 'ecr-public' more than once"),
    (
        REG,
        {"pull_through_cache_rules": [dict(CACHE, prefix="ECR")]},
        "cache prefix: format",
        "pull_through_cache_rules[0].prefix 'ECR' must be 2-30 lowercase letters, digits and single '.', '_', '-' or '/' separato",
    ),
    (
        REG,
        {"pull_through_cache_rules": [dict(CACHE, prefix="p" * 31)]},
        "cache prefix: length",
        "pull_through_cache_rules[0].prefix 'ppppppppppppppppppppppppppppppp' must be 2-30 lowercase letters, digits and single '",
    ),
    (
        REG,
        {"pull_through_cache_rules": [{"prefix": "x1"}]},
        "cache upstream url: missing",
        "missing required arguments: upstream_registry_url found in pull_through_cache_rules",
    ),
    (
        REG,
        {"pull_through_cache_rules": [dict(CACHE, upstream_registry_url="https://public.ecr.aws/v2")]},
        "cache upstream url: format",
        "pull_through_cache_rules[0].upstream_registry_url 'https://public.ecr.aws/v2' must be a registry host name such as publi",
    ),
    (
        REG,
        {"pull_through_cache_rules": [dict(CACHE, upstream_registry="harbor")]},
        "cache upstream_registry: choice",
        "value of upstream_registry must be one of: ecr, ecr-public, quay, k8s, docker-hub, github-container-registry, azure-cont",
    ),
    (
        REG,
        {"pull_through_cache_rules": [dict(CACHE, credential_arn="arn:aws:secretsmanager:eu-west-1:111122223333:secret:dockerhub")]},
        "cache credential_arn: format",
        "pull_through_cache_rules[0].credential_arn must be the ARN of a Secrets Manager secret whose name starts with ecr-pullth",
    ),
    (
        REG,
        {
            "pull_through_cache_rules": [
                dict(CACHE, prefix="ecr", upstream_registry_url="111122223333.dkr.ecr.eu-west-1.amazonaws.com", custom_role_arn="role/x")
            ]
        },
        "cache custom_role_arn: format",
        "pull_through_cache_rules[0].custom_role_arn 'role/x' is not an IAM role ARN",
    ),
    (
        REG,
        {"pull_through_cache_rules": [dict(CACHE, upstream_registry_url="registry.k8s.io", upstream_repository_prefix="k8s")]},
        "cache: repository prefix for non-ECR",
        "pull_through_cache_rules[0].upstream_repository_prefix applies only to an ECR upstream (private ECR to ECR caching), not",
    ),
    (
        REG,
        {"pull_through_cache_rules": [dict(CACHE, upstream_registry_url="registry.k8s.io", custom_role_arn="arn:aws:iam::111122223333:role/pull")]},
        "cache: role for non-ECR",
        "pull_through_cache_rules[0].custom_role_arn applies only to an ECR upstream (private ECR to ECR caching), not to k8s",
    ),
    (
        REG,
        {"pull_through_cache_rules": [dict(CACHE, prefix="hub", upstream_registry_url="registry-1.docker.io")]},
        "cache: docker hub without credentials",
        "pull_through_cache_rules[0]: the docker-hub upstream needs credential_arn (a Secrets Manager secret named ecr-pullthroug",
    ),
    (
        REG,
        {
            "pull_through_cache_rules": [
                dict(CACHE, prefix="hub", upstream_registry_url="registry-1.docker.io", credential_arn=SECRET, upstream_repository_prefix="library")
            ]
        },
        "cache: repository prefix for docker hub",
        "pull_through_cache_rules[0].upstream_repository_prefix applies only to an ECR upstream (private ECR to ECR caching), not",
    ),
    (
        REG,
        {"pull_through_cache_rules": [CACHE], "purge_pull_through_cache_rules": "all"},
        "purge: type",
        "argument 'purge_pull_through_cache_rules' is of type str and we were unable to convert to bool: The value 'all' is not a",
    ),
]


@pytest.mark.parametrize(("module", "args", "mistake", "expected"), BAD_INPUT, ids=[f"{row[0].__name__.rsplit('.', 1)[-1]}: {row[2]}" for row in BAD_INPUT])
def test_bad_input_is_rejected_in_one_line_before_any_request(module, args, mistake, expected, no_aws_calls):
    result = run(module, args)
    assert result["failed"] is True, mistake
    assert result["msg"][:120] == expected
    assert "\n" not in result["msg"]
    assert no_aws_calls == []


def test_every_option_of_the_four_modules_has_a_bad_input_case():
    """The table above covers each module option (suboptions by their full path), so a new option needs a row."""
    covered = {}
    for module, args, _mistake, _expected in BAD_INPUT:
        covered.setdefault(module.__name__.rsplit(".", 1)[-1], set()).update(_paths(args))
    for module in (ecr_repository, ecr_image, ecr_image_info, ecr_registry):
        name = module.__name__.rsplit(".", 1)[-1]
        options = set(_paths_of_spec(_argument_spec(module)))
        missing = sorted(options - covered[name] - MISTAKE_FREE_OPTIONS.get(name, set()))
        assert not missing, f"{name}: no bad-input case for {missing}"


# Options a careless user cannot get wrong beyond their type, which Ansible checks for every option alike.
MISTAKE_FREE_OPTIONS = {
    "ecr_repository": {"lifecycle_rules.description"},  # free text; Ansible turns any value into a string
    "ecr_image": {"gate.allowlist.reason"},  # free text
}


def _paths(value, prefix=""):
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from _paths(child, path)
    elif isinstance(value, list):
        for child in value:
            yield from _paths(child, prefix)


def _paths_of_spec(spec, prefix=""):
    for key, option in spec.items():
        path = f"{prefix}.{key}" if prefix else key
        yield path
        yield from _paths_of_spec(option.get("options") or {}, path)


def _argument_spec(module):
    """The module's own argument spec, captured from its AnsibleAWSModule call (shared AWS options left out)."""
    captured = {}

    class Capture(Exception):
        pass

    def fake_init(self, **kwargs):
        captured.update(kwargs["argument_spec"])
        raise Capture

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module.AnsibleAWSModule, "__init__", fake_init)
        with contextlib.suppress(Capture):
            module.main()
    captured.pop("access_key", None)  # the shared AWS option the modules re-declare to mask it
    return captured


def test_the_access_key_id_is_masked_in_module_args():
    """Decision (docs/modules/ecr.md): the access key ID is masked like the secret key and the session token."""
    access_key = "AKIAIOSFODNN7EXAMPLE"
    for module, args in ((ecr_repository, {"name": "UPPER"}), (ecr_image, dict(I, digest="x")), (ecr_image_info, N | {"max_results": 0}), (ecr_registry, {})):
        result = run(module, dict(args, access_key=access_key))
        assert result["failed"] is True
        assert result["invocation"]["module_args"]["access_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
        assert result["invocation"]["module_args"]["secret_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
        assert access_key not in json.dumps(result)
