# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECR client with retries, error mapping and small shared helpers for the chatbot.platform ecr_* modules.

Every API call goes through :class:`EcrApi`, which uses the boto3 clients that AnsibleAWSModule builds
(so endpoint_url, region, profile and assumed roles behave exactly like amazon.aws), retries what is worth
retrying within a time budget, and turns AWS errors into :class:`EcrError` with a one-line message.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import time

try:
    from botocore.config import Config as BotocoreConfig
    from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as BotocoreConnectionError
except ImportError:  # AnsibleAWSModule reports the missing dependency
    BotoCoreError = ClientError = HTTPClientError = BotocoreConnectionError = type("MissingBotocoreError", (Exception,), {})
    BotocoreConfig = None

from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

# Retries. Every call is retried when the failure says "try again", judged by its class rather than a list
# of codes: HTTP 5xx (whatever the error code or body), 429, throttling codes (which ECR and KMS send as
# HTTP 400) and connection or read failures. Every write is made safe to repeat (a create that already
# took effect is adopted, a delete of something already gone is done, a tag already in place is kept), so
# writes are retried like reads. botocore's own retries are turned off for these clients (unless aws_config
# sets them): one retry loop with one time budget, instead of botocore's attempts inside each of ours.
THROTTLING_ERROR_CODES = frozenset(
    (
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "RequestTimeout",
        "RequestTimeoutException",
    )
)
RETRY_ATTEMPTS = 10  # attempts per call, the first included
RETRY_DELAY = 0.25  # seconds; the n-th retry waits a random time up to RETRY_DELAY * 2**n ...
RETRY_MAX_DELAY = 5.0  # ... but never more than this
RETRY_BUDGET = 20.0  # seconds a call may spend waiting between attempts in total; then it fails

# Operations that change something. Used to assert no-op runs in tests and to keep check mode honest.
WRITE_OPERATION_PREFIXES = ("Create", "Put", "Set", "Delete", "Tag", "Untag", "BatchDelete", "Start", "Update", "Complete", "Initiate", "Upload")

ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
REPOSITORY_NAME_RE = re.compile(r"^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
IMAGE_TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$")
DIGEST_RE = re.compile(r"^[A-Za-z0-9_+.-]+:[A-Fa-f0-9]{32,}$")
WILDCARD_FILTER_RE = re.compile(r"^[0-9a-zA-Z._*-]{1,128}$")
REGION_RE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
# AWS resource tags: keys 1-128 and values 0-256 characters of letters, digits, spaces and _ . : / = + - @
TAG_KEY_RE = re.compile(r"^[\w .:/=+@-]{1,128}$", re.UNICODE)
TAG_VALUE_RE = re.compile(r"^[\w .:/=+@-]{0,256}$", re.UNICODE)
MAX_TAGS = 50


class EcrError(Exception):
    """A failure the module reports with fail_json(msg=...); the message is always one line.

    ``retried`` says whether the call that failed had been sent more than once, so a write whose first
    attempt may have taken effect can tell its own earlier attempt from somebody else's change.
    """

    def __init__(self, message, retried=False, **extra):
        super().__init__(one_line(message))
        self.extra = extra
        self.retried = retried


def one_line(text):
    return " ".join(str(text).split())


def error_code(exc):
    try:
        return exc.response["Error"]["Code"]
    except (AttributeError, KeyError, TypeError):
        return None


def http_status(exc):
    """The HTTP status of a ClientError (from the response metadata, or a numeric error code), or None."""
    try:
        status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
    except (AttributeError, KeyError, TypeError):
        status = None
    if status is None:
        code = error_code(exc)
        status = int(code) if code and code.isdigit() else None
    return status


def is_retryable(exc):
    """Whether a failed call is worth another attempt: throttling, HTTP 429 or 5xx, or no answer at all."""
    if isinstance(exc, ClientError):
        status = http_status(exc)
        return error_code(exc) in THROTTLING_ERROR_CODES or status == 429 or (status is not None and 500 <= status <= 599)
    return isinstance(exc, (HTTPClientError, BotocoreConnectionError))  # refused, reset, closed, timed out


def retry_delays(attempts=None, delay=None, max_delay=None, budget=None, rand=random.random):
    """Waits between attempts: full jitter, exponential, capped per wait and in total (the budget)."""
    attempts = RETRY_ATTEMPTS if attempts is None else attempts
    delay = RETRY_DELAY if delay is None else delay
    max_delay = RETRY_MAX_DELAY if max_delay is None else max_delay
    budget = RETRY_BUDGET if budget is None else budget
    spent = 0.0
    for retry in range(attempts - 1):
        wait = rand() * min(max_delay, delay * 2**retry)
        if spent + wait > budget:
            return
        spent += wait
        yield wait


def describe_aws_error(exc, action):
    """One line for an AWS failure: what we tried, the AWS error code and AWS's own message."""
    if isinstance(exc, ClientError):
        code = error_code(exc) or "Error"
        message = exc.response.get("Error", {}).get("Message") or str(exc)
        if code.isdigit() or "<html" in message.lower():
            message = f"HTTP {exc.response.get('ResponseMetadata', {}).get('HTTPStatusCode', code)} from the ECR endpoint"
        return one_line(f"{action} failed: {code}: {message}")
    return one_line(f"{action} failed: {exc}")


def connection_argument_spec():
    """The amazon.aws connection options, with the access key ID kept out of logs and results like the secret key.

    The ID is not a password, but it names the IAM user or role and, through sts:GetAccessKeyInfo, the
    account; Ansible prints module arguments under -vvv and in callbacks, so the ecr_* modules mask it.
    """
    spec = aws_argument_spec()
    access_key = dict(spec["access_key"], no_log=True)
    return {"access_key": access_key}


class EcrApi:
    """ECR (and KMS and STS, for key and account checks) calls with retries; failures become EcrError.

    ``call`` returns None instead of raising for the error codes listed in ``missing``
    (for example RepositoryPolicyNotFoundException when reading an optional setting, or
    RepositoryNotFoundException when deleting a repository an earlier attempt already deleted).
    """

    def __init__(self, module, sleep=time.sleep):
        self.module = module
        self.sleep = sleep
        self._clients = {}
        self._account = None

    def client(self, service):
        """The boto3 client for a service, made on first use (bad input fails before any client exists)."""
        if service not in self._clients:
            if BotocoreConfig is None:
                self._clients[service] = self.module.client(service)
            else:
                # aws_config, merged after this, still wins for users who want botocore's retries back.
                self._clients[service] = self.module.client(service, config=BotocoreConfig(retries={"total_max_attempts": 1}))
        return self._clients[service]

    @property
    def ecr(self):
        return self.client("ecr")

    @property
    def kms(self):
        return self.client("kms")

    def caller_account(self):
        """The account ID of the caller (STS GetCallerIdentity, once per run)."""
        if self._account is None:
            self._account = self.call("get_caller_identity", "identify the caller's account", client=self.client("sts"))["Account"]
        return self._account

    def call(self, operation, action, missing=(), client=None, **params):
        method = getattr(client or self.ecr, operation)
        delays = retry_delays()
        attempt = 0
        while True:
            attempt += 1
            try:
                return method(**params)
            except (ClientError, BotoCoreError) as exc:
                if error_code(exc) in missing:
                    return None
                wait = next(delays, None) if is_retryable(exc) else None
                if wait is None:
                    raise EcrError(describe_aws_error(exc, action), retried=attempt > 1, error_code=error_code(exc)) from exc
            self.sleep(wait)

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


def validate_repository_name(value, option="name"):
    if not REPOSITORY_NAME_RE.match(value or ""):
        raise EcrError(f"{option} {value!r} is not a valid repository name (2-256 lowercase letters, digits and . _ - / separators)")


def validate_registry_id(value, option="registry_id"):
    if value is not None and not ACCOUNT_ID_RE.match(str(value)):
        raise EcrError(f"{option} {value!r} is not a 12-digit AWS account ID")


def validate_tags(tags, option="tags"):
    """AWS resource tags as strings; a list, dictionary, boolean or null value fails instead of being stored as its repr."""
    if tags is None:
        return None
    if len(tags) > MAX_TAGS:
        raise EcrError(f"{option} has {len(tags)} tags; AWS allows at most {MAX_TAGS}")
    clean = {}
    for key, value in tags.items():
        key = str(key)
        if not TAG_KEY_RE.match(key) or key.lower().startswith("aws:"):
            raise EcrError(f"{option} key {key!r} must be 1-128 letters, digits, spaces or _ . : / = + - @ and must not start with 'aws:'")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            kind = "a boolean (quote it)" if isinstance(value, bool) else "null (use '' for an empty value)" if value is None else f"a {type(value).__name__}"
            raise EcrError(f"{option}.{key} must be a string, got {kind}: {value!r}")
        value = str(value)
        if not TAG_VALUE_RE.match(value):
            raise EcrError(f"{option}.{key} must be 0-256 letters, digits, spaces or _ . : / = + - @, got {value!r}")
        clean[key] = value
    return clean


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
