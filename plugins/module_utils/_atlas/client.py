# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP client for the MongoDB Atlas Administration API v2.

One client serves every Atlas module. It knows:

* the base URL (``https://cloud.mongodb.com`` unless told otherwise) and the ``/api/atlas/v2`` prefix;
* the versioned media type ``application/vnd.atlas.YYYY-MM-DD+json`` each resource asks for;
* service-account auth (OAuth 2.0 client credentials against ``/api/oauth/token``, token cached per
  process and refreshed before it expires) and API-key auth (HTTP Digest, RFC 7616 with MD5/qop=auth);
* bounded retries with exponential backoff and jitter on 429 and 5xx answers and on dropped
  connections, honouring ``Retry-After``;
* pagination (``itemsPerPage``/``pageNum`` with the ``links`` and ``totalCount`` Atlas returns);
* Atlas error bodies (``error``, ``errorCode``, ``detail``) turned into one-line exceptions.

Only the standard library and ansible's ``module_utils.urls`` are used.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import http.client
import json
import os
import random
import socket
import ssl
import time
import urllib.error
import urllib.parse

from ansible.module_utils.urls import Request, make_context

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.spec_facts import OPERATIONS

DEFAULT_BASE_URL = "https://cloud.mongodb.com"
API_PREFIX = "/api/atlas/v2"
TOKEN_PATH = "/api/oauth/token"  # noqa: S105 - a URL path, not a secret
USER_AGENT = "chatbot.platform-atlas/1.0"

# The media-type version sent for each operation: the ONE table of versions. Each is a version the
# specification lists for that operation without a sunset date (tests/functional/atlas/test_atlas_spec.py
# checks it against spec_facts.OPERATIONS, derived from the specification by scripts/atlas_spec_facts.py).
OPERATION_VERSIONS = {
    "listGroups": "2023-01-01",
    "createGroup": "2023-01-01",
    "getGroup": "2023-01-01",
    "getGroupByName": "2023-01-01",
    "updateGroup": "2023-01-01",
    "deleteGroup": "2023-01-01",
    "listGroupClusters": "2024-08-05",
    "createGroupCluster": "2024-10-23",
    "getGroupCluster": "2024-08-05",
    "updateGroupCluster": "2024-10-23",
    "deleteGroupCluster": "2023-02-01",
    "listGroupDatabaseUsers": "2023-01-01",
    "createGroupDatabaseUser": "2023-01-01",
    "getGroupDatabaseUser": "2023-01-01",
    "updateGroupDatabaseUser": "2023-01-01",
    "deleteGroupDatabaseUser": "2023-01-01",
    "listGroupAccessListEntries": "2023-01-01",
    "createGroupAccessListEntry": "2023-01-01",
    "getGroupAccessListEntry": "2023-01-01",
    "deleteGroupAccessListEntry": "2023-01-01",
    "listGroupPrivateEndpointEndpointService": "2023-01-01",
    "createGroupPrivateEndpointEndpointService": "2023-01-01",
    "getGroupPrivateEndpointEndpointService": "2023-01-01",
    "deleteGroupPrivateEndpointEndpointService": "2023-01-01",
    "createGroupPrivateEndpointEndpointServiceEndpoint": "2023-01-01",
    "getGroupPrivateEndpointEndpointServiceEndpoint": "2023-01-01",
    "deleteGroupPrivateEndpointEndpointServiceEndpoint": "2023-01-01",
}
# Answers that mean "this version of this operation is not (or no longer) served".
VERSION_REFUSED = {406: ("INVALID_VERSION_DATE", "UNSUPPORTED_VERSION", "NOT_ACCEPTABLE"), 410: ("VERSION_GONE",)}

RETRYABLE_STATUSES = frozenset((429, 500, 502, 503, 504))
DEFAULT_MAX_RETRIES = 5
DEFAULT_BACKOFF_BASE = 0.5
DEFAULT_BACKOFF_CAP = 20.0
MAX_RETRY_AFTER = 120.0
MAX_PAGES = 10000

ENV_CLIENT_ID = "MONGODB_ATLAS_CLIENT_ID"
ENV_CLIENT_SECRET = "MONGODB_ATLAS_CLIENT_SECRET"  # noqa: S105 - name of an environment variable
ENV_PUBLIC_KEY = "MONGODB_ATLAS_PUBLIC_KEY"
ENV_PRIVATE_KEY = "MONGODB_ATLAS_PRIVATE_KEY"
ENV_BASE_URL = "MONGODB_ATLAS_BASE_URL"

# Access tokens cached per process, keyed by (token URL, client id): a module that waits for an hour
# on a cluster keeps working because the token is refreshed before it runs out.
_TOKEN_CACHE = {}


def media_type(version):
    """Return the versioned Atlas media type for a resource version date."""
    return f"application/vnd.atlas.{version}+json"


def _one_line(text):
    return " ".join(str(text).split())


class AtlasError(Exception):
    """Any failure talking to Atlas; ``str()`` is one readable line."""

    def __init__(self, message, **details):
        super().__init__(_one_line(message))
        self.details = details

    def to_dict(self):
        return dict(self.details)


class AtlasTransportError(AtlasError):
    """The request never got an HTTP answer (connection refused, reset, timeout)."""


class AtlasApiError(AtlasError):
    """Atlas answered with an HTTP error status."""

    def __init__(self, status, error_code, detail, method, path, reason=None):
        self.status = status
        self.error_code = error_code
        self.detail = detail
        self.method = method
        self.path = path
        code = f" {error_code}" if error_code else ""
        message = "Atlas API {} {} failed with HTTP {}{}: {}".format(method, path, status, code, detail or reason or "no detail")
        if status == 401:
            message += " (check the Atlas credentials: client_id/client_secret or public_key/private_key)"
        super().__init__(message, status=status, error_code=error_code, detail=detail)

    @classmethod
    def from_response(cls, status, body, method, path):
        error_code = None
        detail = None
        reason = None
        if body:
            try:
                data = json.loads(body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                data = None
            if isinstance(data, dict):
                error_code = data.get("errorCode")
                detail = data.get("detail") or data.get("error_description")
                reason = data.get("reason")
                if not error_code and isinstance(data.get("error"), str):
                    error_code = data["error"]
            elif body:
                detail = body.decode("utf-8", "replace")[:300]
        return cls(status, error_code, detail, method, path, reason=reason)


class AtlasVersionError(AtlasApiError):
    """Atlas does not (or no longer) serve the media-type version the module sent for an operation."""

    def __init__(self, status, error_code, detail, method, path, operation, version):
        super().__init__(status, error_code, detail, method, path)
        what = "no longer serves" if status == 410 else "does not accept"
        message = (
            f"Atlas {what} version {version} of operation {operation} ({method} {path}): HTTP {status} {error_code or ''}: {detail or 'no detail'}."
            " This chatbot.platform release sends a version Atlas has retired; upgrade the collection"
        )
        AtlasError.__init__(self, message, status=status, error_code=error_code, detail=detail, operation=operation, version=version)


class AtlasAuthError(AtlasError):
    """Credentials are missing or were refused."""


class AtlasWaitTimeout(AtlasError):
    """A waiter ran out of time."""


# One TLS context per process and validate_certs value: loading the CA bundle costs about 0.2 s of CPU, and a
# module waiting for a cluster sends hundreds of requests.
_SSL_CONTEXTS = {}


def _ssl_context(validate_certs):
    if validate_certs not in _SSL_CONTEXTS:
        _SSL_CONTEXTS[validate_certs] = make_context(validate_certs=validate_certs)
    return _SSL_CONTEXTS[validate_certs]


def _urllib_transport(method, url, headers, body, timeout, validate_certs):
    """Send one request with ansible's Request; return (status, lower-cased headers, body bytes)."""
    try:
        response = Request(http_agent=USER_AGENT, follow_redirects="none", use_netrc=False).open(
            method,
            url,
            data=body,
            headers=headers,
            timeout=timeout,
            validate_certs=validate_certs,
            context=_ssl_context(validate_certs),
        )
        status = response.getcode()
        resp_headers = response.headers
        data = response.read()
    except urllib.error.HTTPError as exc:
        status = exc.code
        resp_headers = exc.headers
        try:
            data = exc.read()
        except (OSError, http.client.HTTPException):
            data = b""
    except (urllib.error.URLError, OSError, http.client.HTTPException, ssl.SSLError, socket.timeout) as exc:
        reason = getattr(exc, "reason", exc)
        raise AtlasTransportError("no answer from {}: {}".format(url.split("?")[0], reason or type(exc).__name__)) from None
    headers_out = {}
    if resp_headers is not None:
        for key, value in resp_headers.items():
            headers_out[key.lower()] = value
    return status, headers_out, data or b""


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None when absent or bad."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        current = now if now is not None else time.time()
        seconds = when.timestamp() - current
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


def parse_digest_challenge(header):
    """Parse a ``WWW-Authenticate: Digest ...`` header into a dict (None when it is not a Digest challenge)."""
    if not header:
        return None
    scheme, _sep, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    params = {}
    i = 0
    n = len(rest)
    while i < n:
        while i < n and rest[i] in " ,":
            i += 1
        eq = rest.find("=", i)
        if eq < 0:
            break
        key = rest[i:eq].strip().lower()
        i = eq + 1
        if i < n and rest[i] == '"':
            i += 1
            value = []
            while i < n and rest[i] != '"':
                if rest[i] == "\\" and i + 1 < n:
                    i += 1
                value.append(rest[i])
                i += 1
            i += 1
            params[key] = "".join(value)
        else:
            end = rest.find(",", i)
            end = n if end < 0 else end
            params[key] = rest[i:end].strip()
            i = end
    return params


class DigestAuth:
    """HTTP Digest state for one API key: remembers the server nonce and counts nc."""

    def __init__(self, username, password, cnonce_factory=None):
        self.username = username
        self.password = password
        self.challenge = None
        self.nonce_count = 0
        self._cnonce_factory = cnonce_factory or (lambda: os.urandom(8).hex())

    def update(self, challenge):
        if self.challenge is None or challenge.get("nonce") != self.challenge.get("nonce"):
            self.nonce_count = 0
        self.challenge = challenge

    def header(self, method, uri):
        """Return the Authorization header value for a request, or None before the first challenge."""
        if not self.challenge:
            return None
        chal = self.challenge
        algorithm = chal.get("algorithm", "MD5").upper()
        if algorithm in ("MD5", "MD5-SESS"):
            digest = hashlib.md5
        elif algorithm in ("SHA-256", "SHA-256-SESS"):
            digest = hashlib.sha256
        else:
            raise AtlasAuthError(f"Atlas asked for an unsupported Digest algorithm {algorithm}")

        def h(text):
            return digest(text.encode("utf-8")).hexdigest()

        realm = chal.get("realm", "")
        nonce = chal.get("nonce", "")
        qop_options = [q.strip() for q in chal.get("qop", "").split(",") if q.strip()]
        self.nonce_count += 1
        nc = f"{self.nonce_count:08x}"
        cnonce = self._cnonce_factory()
        ha1 = h(f"{self.username}:{realm}:{self.password}")
        if algorithm.endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        parts = [
            f'username="{self.username}"',
            f'realm="{realm}"',
            f'nonce="{nonce}"',
            f'uri="{uri}"',
            "algorithm={}".format(chal.get("algorithm", "MD5")),
        ]
        if "auth" in qop_options:
            response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            parts.extend([f'response="{response}"', "qop=auth", f"nc={nc}", f'cnonce="{cnonce}"'])
        else:
            parts.append('response="{}"'.format(h(f"{ha1}:{nonce}:{ha2}")))
        if chal.get("opaque"):
            parts.append('opaque="{}"'.format(chal["opaque"]))
        return "Digest " + ", ".join(parts)


class AtlasClient:
    """Atlas Administration API v2 client with auth, retries and pagination."""

    def __init__(
        self,
        base_url=None,
        client_id=None,
        client_secret=None,
        public_key=None,
        private_key=None,
        timeout=30,
        max_retries=DEFAULT_MAX_RETRIES,
        validate_certs=True,
        transport=None,
        sleep=None,
        clock=None,
        wall_clock=None,
        rand=None,
        backoff_base=None,
        backoff_cap=None,
        token_cache=None,
    ):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        parsed = urllib.parse.urlsplit(self.base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise AtlasError(f"base_url must be an http(s) URL such as {DEFAULT_BASE_URL}, got {base_url!r}")
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.validate_certs = validate_certs
        self._transport = transport or _urllib_transport
        self._sleep = sleep or time.sleep
        self._clock = clock or time.monotonic
        self._wall_clock = wall_clock or time.time
        self._rand = rand or random.random
        self.backoff_base = DEFAULT_BACKOFF_BASE if backoff_base is None else backoff_base
        self.backoff_cap = DEFAULT_BACKOFF_CAP if backoff_cap is None else backoff_cap
        self._token_cache = _TOKEN_CACHE if token_cache is None else token_cache
        self.request_count = 0
        self.retry_count = 0
        self.last_retry_after = None
        if client_id and client_secret:
            self.auth_method = "service_account"
            self._client_id = client_id
            self._client_secret = client_secret
            self._digest = None
        elif public_key and private_key:
            self.auth_method = "api_key"
            self._digest = DigestAuth(public_key, private_key)
        else:
            raise AtlasAuthError(
                f"no Atlas credentials: set client_id and client_secret (or {ENV_CLIENT_ID}/{ENV_CLIENT_SECRET}) for a service account, "
                f"or public_key and private_key (or {ENV_PUBLIC_KEY}/{ENV_PRIVATE_KEY}) for an API key"
            )

    # ------------------------------------------------------------------ retries
    def backoff_delay(self, attempt):
        """Exponential backoff with equal jitter: between half and all of min(cap, base * 2**attempt)."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2**attempt))
        return ceiling / 2.0 + self._rand() * ceiling / 2.0

    def _send(self, method, url, headers, body):
        self.request_count += 1
        return self._transport(method, url, headers, body, self.timeout, self.validate_certs)

    def _send_with_retries(self, method, url, headers_factory, body, path):
        """Send with bounded retries; headers_factory() builds the headers for every attempt (auth may change)."""
        attempt = 0
        auth_retries = 0
        while True:
            headers = headers_factory()
            try:
                status, resp_headers, data = self._send(method, url, headers, body)
            except AtlasTransportError as exc:
                if attempt >= self.max_retries:
                    raise AtlasTransportError(f"Atlas API {method} {path} failed after {attempt + 1} attempts: {exc}", attempts=attempt + 1) from None
                self._sleep(self.backoff_delay(attempt))
                attempt += 1
                self.retry_count += 1
                continue
            if status == 401 and auth_retries < 2 and self._handle_unauthorized(resp_headers):
                auth_retries += 1
                continue
            hinted = parse_retry_after(resp_headers.get("retry-after"), now=self._wall_clock())
            if hinted is not None:
                self.last_retry_after = hinted
            if status in RETRYABLE_STATUSES and attempt < self.max_retries:
                delay = hinted
                if delay is None:
                    delay = self.backoff_delay(attempt)
                self._sleep(delay)
                attempt += 1
                self.retry_count += 1
                continue
            return status, resp_headers, data

    def _handle_unauthorized(self, resp_headers):
        """Decide whether a 401 is worth one more try with fresh auth material."""
        if self._digest is not None:
            challenge = parse_digest_challenge(resp_headers.get("www-authenticate"))
            if challenge is None:
                return False
            first = self._digest.challenge is None
            stale = str(challenge.get("stale", "")).lower() == "true"
            self._digest.update(challenge)
            # A fresh nonce without stale=true after a signed attempt means the key itself was refused.
            return first or stale
        # Service account: the cached token may have been revoked or expired early; fetch a new one once.
        key = self._token_key()
        if key in self._token_cache:
            del self._token_cache[key]
            return True
        return False

    # ------------------------------------------------------------------ auth
    def _token_key(self):
        return (self.base_url + TOKEN_PATH, self._client_id)

    def access_token(self):
        """Return a valid OAuth access token, fetching a new one when none is cached or it is close to expiry."""
        key = self._token_key()
        cached = self._token_cache.get(key)
        now = self._clock()
        if cached and now < cached["refresh_at"]:
            return cached["token"]
        basic = base64.b64encode(f"{self._client_id}:{self._client_secret}".encode()).decode("ascii")
        body = b"grant_type=client_credentials"
        url = self.base_url + TOKEN_PATH

        def headers():
            return {
                "Authorization": "Basic " + basic,
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Cache-Control": "no-cache",
            }

        status, _headers, data = self._send_with_retries("POST", url, headers, body, TOKEN_PATH)
        if status >= 400:
            err = AtlasApiError.from_response(status, data, "POST", TOKEN_PATH)
            if status not in (400, 401, 403):
                raise err
            raise AtlasAuthError(
                "Atlas refused the service account credentials (HTTP {}{}): {} (check client_id and client_secret)".format(
                    status, " " + err.error_code if err.error_code else "", err.detail or "no detail"
                ),
                status=status,
                error_code=err.error_code,
            )
        try:
            payload = json.loads(data.decode("utf-8"))
            token = payload["access_token"]
            expires_in = float(payload.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise AtlasAuthError(f"Atlas token endpoint returned an unreadable answer (HTTP {status})") from None
        # Refresh a minute early, or at three quarters of the lifetime for short-lived tokens.
        margin = min(60.0, expires_in / 4.0)
        fetched = self._clock()
        self._token_cache[key] = {"token": token, "expires_at": fetched + expires_in, "refresh_at": fetched + expires_in - margin}
        return token

    def _auth_header(self, method, url):
        if self.auth_method == "service_account":
            return "Bearer " + self.access_token()
        parsed = urllib.parse.urlsplit(url)
        uri = parsed.path + ("?" + parsed.query if parsed.query else "")
        return self._digest.header(method, uri)

    # ------------------------------------------------------------------ requests
    def url(self, path, params=None):
        url = self.base_url + API_PREFIX + path
        if params:
            query = urllib.parse.urlencode([(k, _query_value(v)) for k, v in params.items() if v is not None])
            if query:
                url += "?" + query
        return url

    def request(self, method, path, version, body=None, params=None, operation=None):
        """Call the API; return the decoded JSON (None for an empty body). Raise AtlasApiError on HTTP errors.

        With ``operation`` (the specification's operationId), an answer that refuses the version (406, 410)
        becomes an AtlasVersionError naming the operation and the version.
        """
        url = self.url(path, params)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode("utf-8")
        mtype = media_type(version)

        def headers():
            hdrs = {"Accept": mtype}
            if payload is not None:
                hdrs["Content-Type"] = mtype
            auth = self._auth_header(method, url)
            if auth:
                hdrs["Authorization"] = auth
            return hdrs

        status, _headers, data = self._send_with_retries(method, url, headers, payload, path)
        if status >= 400:
            error = AtlasApiError.from_response(status, data, method, path)
            refused = VERSION_REFUSED.get(status)
            if operation and refused is not None and (status == 410 or error.error_code in refused):
                raise AtlasVersionError(status, error.error_code, error.detail, method, path, operation, version)
            raise error
        if not data:
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise AtlasError(f"Atlas API {method} {path} returned a body that is not JSON (HTTP {status})") from None

    def get(self, path, version, params=None):
        return self.request("GET", path, version, params=params)

    def get_or_none(self, path, version, params=None, not_found_codes=None):
        """GET that returns None for a 404 (optionally only for the listed Atlas error codes)."""
        try:
            return self.get(path, version, params=params)
        except AtlasApiError as exc:
            if exc.status == 404 and (not not_found_codes or exc.error_code in not_found_codes):
                return None
            raise

    def post(self, path, version, body):
        return self.request("POST", path, version, body=body)

    def patch(self, path, version, body):
        return self.request("PATCH", path, version, body=body)

    def delete(self, path, version):
        return self.request("DELETE", path, version)

    def paginate(self, path, version, params=None, items_per_page=500, operation=None):
        """Return every item of a paginated list resource, following pageNum until Atlas says there is no next page.

        ``totalCount`` is an estimate (the specification says so) and is never used to stop: a "next" link
        continues, its absence stops. An answer without any links continues while pages come back full.
        """
        items = []
        page = 1
        query = dict(params or {})
        while page <= MAX_PAGES:
            query.update(itemsPerPage=items_per_page, pageNum=page, includeCount="false")
            data = self.request("GET", path, version, params=query, operation=operation) or {}
            if isinstance(data, list):
                return items + data
            results = data.get("results") or []
            items.extend(results)
            links = [link for link in data.get("links") or [] if isinstance(link, dict)]
            if not results:
                break
            if links:
                if not any(link.get("rel") == "next" for link in links):
                    break
            elif len(results) < items_per_page:
                break
            page += 1
        return items

    def take_retry_after(self):
        """The last Retry-After Atlas sent (seconds), once; None when there was none since the last call."""
        hinted, self.last_retry_after = self.last_retry_after, None
        return hinted

    # ------------------------------------------------------------------ operations of the specification
    def operation_path(self, operation, **path_params):
        """The path of an operation (from the specification's template) with each parameter percent-encoded."""
        template = OPERATIONS[operation]["path"]
        return template.format(**{k: quote_path(v) for k, v in path_params.items()})

    def call(self, operation, body=None, params=None, **path_params):
        """Send one operation of the specification with the version OPERATION_VERSIONS names for it."""
        method = OPERATIONS[operation]["method"]
        path = self.operation_path(operation, **path_params)
        return self.request(method, path, OPERATION_VERSIONS[operation], body=body, params=params, operation=operation)

    def call_or_none(self, operation, not_found_codes, params=None, **path_params):
        """GET operation that returns None only for a 404 with one of ``not_found_codes``.

        Any other 404 (for example GROUP_NOT_FOUND for a mistyped project id) is an error, never "absent".
        """
        try:
            return self.call(operation, params=params, **path_params)
        except AtlasApiError as exc:
            if exc.status == 404 and exc.error_code in not_found_codes:
                return None
            raise

    def call_all(self, operation, params=None, **path_params):
        """Every item of a list operation, across all pages."""
        path = self.operation_path(operation, **path_params)
        return self.paginate(path, OPERATION_VERSIONS[operation], params=params, operation=operation)


def _query_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def quote_path(value):
    """Percent-encode one path segment (IAM ARNs, CIDR blocks and DNs contain '/', ':' and '=')."""
    return urllib.parse.quote(str(value), safe="")
