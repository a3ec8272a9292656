# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECR client with retries, error mapping and small shared helpers for the chatbot.platform ecr_* modules.

Every API call goes through :class:`EcrApi`, which wraps the boto3 clients that AnsibleAWSModule builds
(so endpoint_url, region, profile and assumed roles behave exactly like amazon.aws) in the amazon.aws
retry wrapper, and turns AWS errors into :class:`EcrError` with a one-line message.
"""

from __future__ import annotations

import datetime
import json
import re

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # AnsibleAWSModule reports the missing dependency
    BotoCoreError = ClientError = type("MissingBotocoreError", (Exception,), {})

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Error codes retried on top of AWSRetry's own list (throttling, 5xx and their ECR/KMS spellings).
# Botocore's own retry handler runs first; these retries back off further for long throttling bursts.
RETRYABLE_ERROR_CODES = [
    "ThrottlingException",
    "ServerException",
    "KMSInternalException",
    "DependencyTimeoutException",
    "RequestTimeout",
    "RequestTimeoutException",
    "500",
    "502",
    "503",
    "504",
]
RETRY_ATTEMPTS = 8
RETRY_DELAY = 1.0
RETRY_MAX_DELAY = 30.0

# Operations that change something. Used to assert no-op runs in tests and to keep check mode honest.
WRITE_OPERATION_PREFIXES = ("Create", "Put", "Set", "Delete", "Tag", "Untag", "BatchDelete", "Start", "Update", "Complete", "Initiate", "Upload")

ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
REPOSITORY_NAME_RE = re.compile(r"^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
IMAGE_TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$")
DIGEST_RE = re.compile(r"^[A-Za-z0-9_+.-]+:[A-Fa-f0-9]{32,}$")
WILDCARD_FILTER_RE = re.compile(r"^[0-9a-zA-Z._*-]{1,128}$")


class EcrError(Exception):
    """A failure the module reports with fail_json(msg=...); the message is always one line."""

    def __init__(self, message, **extra):
        super().__init__(one_line(message))
        self.extra = extra


def one_line(text):
    return " ".join(str(text).split())


def ecr_retry_decorator():
    """The amazon.aws jittered back-off, extended with ECR's throttling and 5xx error codes."""
    return AWSRetry.jittered_backoff(
        retries=RETRY_ATTEMPTS,
        delay=RETRY_DELAY,
        max_delay=RETRY_MAX_DELAY,
        catch_extra_error_codes=RETRYABLE_ERROR_CODES,
    )


def error_code(exc):
    try:
        return exc.response["Error"]["Code"]
    except (AttributeError, KeyError, TypeError):
        return None


def describe_aws_error(exc, action):
    """One line for an AWS failure: what we tried, the AWS error code and AWS's own message."""
    if isinstance(exc, ClientError):
        code = error_code(exc) or "Error"
        message = exc.response.get("Error", {}).get("Message") or str(exc)
        if code.isdigit() or "<html" in message.lower():
            message = f"HTTP {exc.response.get('ResponseMetadata', {}).get('HTTPStatusCode', code)} from the ECR endpoint"
        return one_line(f"{action} failed: {code}: {message}")
    return one_line(f"{action} failed: {exc}")


class EcrApi:
    """ECR (and KMS, for key resolution) calls with retries; failures become EcrError.

    ``call`` returns None instead of raising for the error codes listed in ``missing``
    (for example RepositoryPolicyNotFoundException when reading an optional setting).
    """

    def __init__(self, module):
        self.module = module
        self.ecr = module.client("ecr", retry_decorator=ecr_retry_decorator())
        self._kms = None

    @property
    def kms(self):
        if self._kms is None:
            self._kms = self.module.client("kms", retry_decorator=ecr_retry_decorator())
        return self._kms

    def call(self, operation, action, missing=(), client=None, **params):
        method = getattr(client or self.ecr, operation)
        try:
            return method(aws_retry=True, **params)
        except is_boto3_error_code(list(missing)):
            return None
        except (ClientError, BotoCoreError) as exc:  # pylint: disable=duplicate-except
            raise EcrError(describe_aws_error(exc, action), error_code=error_code(exc)) from exc

    def paginate(self, operation, result_key, action, missing=(), **params):
        """All pages of a paginated read, each page fetched with retries."""
        items = []
        token = None
        while True:
            page_params = dict(params)
            if token:
                page_params["nextToken"] = token
            page = self.call(operation, action, missing=missing, **page_params)
            if page is None:
                return None
            items.extend(page.get(result_key) or [])
            token = page.get("nextToken")
            if not token:
                return items


def registry_kwargs(registry_id):
    return {"registryId": registry_id} if registry_id else {}


def load_json_document(value, option):
    """A JSON document given as a dict/list or as a JSON string; fails with one line when it is not JSON."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return value
    if isinstance(value, str):
        if not value.strip():
            return {}
        try:
            return json.loads(value)
        except ValueError as exc:
            raise EcrError(f"{option} is not valid JSON: {exc}") from None
    raise EcrError(f"{option} must be a JSON object or a JSON string, got {type(value).__name__}")


def partition_for_region(region):
    region = region or ""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


def iso_time(value):
    """Datetimes (boto3 responses) as ISO 8601 strings; anything else unchanged."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def wildcard_match(pattern, value):
    """ECR's WILDCARD filters: ``*`` matches any run of characters, everything else is literal."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, value) is not None


def warn(module, message):
    """Warn through the underlying AnsibleModule.

    AnsibleAWSModule.warn (amazon.aws 10) also passes its warnings to exit_json, which ansible-core 2.19
    reports as a deprecated use; the plain AnsibleModule.warn shows the same warning without that noise.
    """
    getattr(module, "_module", module).warn(one_line(message))


def is_write_operation(operation_name):
    return operation_name.startswith(WRITE_OPERATION_PREFIXES)
