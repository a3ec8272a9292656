# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MongoDB Atlas Administration API v2 emulator for tests and local mode.

Run it:

    python tests/emulators/atlas/server.py --host 127.0.0.1 --port 4580 --provisioning-delay 2

or in-process from Python (pytest fixtures do this):

    emulator = AtlasEmulator(provisioning_delay=0.5)
    emulator.start()            # binds 127.0.0.1 on a free port; emulator.base_url
    emulator.set_faults(rate=0.3)
    emulator.write_requests()   # POST/PATCH/DELETE calls to /api/atlas/v2 seen so far
    emulator.stop()

What it covers (the parts of the real API the chatbot.platform atlas_* modules use):

* auth: OAuth 2.0 client credentials at POST /api/oauth/token (Basic auth, Bearer tokens with a lifetime)
  and HTTP Digest API keys (realm "MMS Public API", MD5, qop=auth); wrong credentials get 401;
* versioned media types: Accept must be application/vnd.atlas.YYYY-MM-DD+json with a version the resource
  has, otherwise 406 INVALID_VERSION_DATE;
* projects (/groups, /groups/byName/{name}), clusters in the advanced shape with a CREATING -> IDLE,
  UPDATING -> IDLE and DELETING -> gone lifecycle after a configurable delay, database users, the IP access
  list, AWS private endpoint services and interface endpoints;
* Atlas error bodies {detail, error, errorCode, parameters, reason}, duplicate-name conflicts, pagination
  (itemsPerPage, pageNum, includeCount, links, totalCount);
* fault injection: a rate of 429/500/503 answers and dropped connections (before or after the request took
  effect), set through the control API;
* a request log.

Control API (no auth, loopback only): GET/DELETE /_emulator/requests, PUT /_emulator/faults,
PUT /_emulator/config, POST /_emulator/reset, GET /_emulator/state.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import hashlib
import importlib.util
import ipaddress
import json
import os
import random
import re
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Facts derived from the published specification (versions with sunset dates, sizes, regions, patterns) live in
# the collection; the emulator reads the same file the modules do, never a typed copy.
_FACTS_FILE = Path(__file__).resolve().parents[3] / "plugins" / "module_utils" / "_atlas" / "spec_facts.py"
_facts_spec = importlib.util.spec_from_file_location("atlas_spec_facts", _FACTS_FILE)
FACTS = importlib.util.module_from_spec(_facts_spec)
_facts_spec.loader.exec_module(FACTS)

DEFAULT_ORG_ID = "5f1b2c3d4e5f6a7b8c9d0e00"
DEFAULT_CLIENT_ID = "mdb_sa_id_local_emulator"
DEFAULT_CLIENT_SECRET = "mdb_sa_sk_local_emulator"
DEFAULT_PUBLIC_KEY = "localpub"
DEFAULT_PRIVATE_KEY = "local-emulator-private-key"
REALM = "MMS Public API"
API_PREFIX = "/api/atlas/v2"

ACCEPT_PATTERN = re.compile(r"application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json")
INSTANCE_SIZES = FACTS.INSTANCE_SIZES
AUTO_SCALING_SIZES = FACTS.AUTO_SCALING_INSTANCE_SIZES
REGIONS = FACTS.REGIONS
# Major versions Atlas offers for new dedicated clusters (the specification does not enumerate them).
MAJOR_VERSIONS = ("6.0", "7.0", "8.0")
CLUSTER_TYPES = set(FACTS.CLUSTER_TYPES)
PROVIDERS = set(REGIONS)
WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
REASONS = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 406: "Not Acceptable", 409: "Conflict", 410: "Gone",
           415: "Unsupported Media Type", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}  # fmt: skip
FAULT_KINDS = (429, 500, 502, 503, 504, "drop_before", "drop_after")
RATE_LIMIT = 100  # requests per window the emulator announces in RateLimit-Limit


class Clock:
    """The emulator's sense of time: the real clock plus an offset tests move forward (a virtual clock).

    ``sleep`` advances the offset instead of sleeping, so a module waiting ten minutes for a cluster returns
    at once while the emulator sees the ten minutes pass. Real time keeps flowing too, so modules run as
    separate processes (which really sleep) see the same lifecycle.
    """

    def __init__(self, today=None):
        self.offset = 0.0
        self._lock = threading.Lock()
        self.today = today

    def monotonic(self):
        return time.monotonic() + self.offset

    def now(self):
        if self.today is not None:
            start = datetime.datetime.combine(self.today, datetime.time(), tzinfo=datetime.timezone.utc)
            return start + datetime.timedelta(seconds=self.offset)
        return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=self.offset)

    def sleep(self, seconds):
        with self._lock:
            self.offset += max(0.0, float(seconds))


def _compile_operations():
    """(operationId, method, segments) for every operation in the facts; literal segments first."""
    ops = []
    for name, op in FACTS.OPERATIONS.items():
        segments = op["path"].strip("/").split("/")
        ops.append((name, op["method"], segments))
    ops.sort(key=lambda item: -sum(1 for s in item[2] if not s.startswith("{")))
    return ops


OPERATION_ROUTES = _compile_operations()


def find_operation(method, segments):
    """The operationId for a method and decoded path segments, or None."""
    for name, op_method, template in OPERATION_ROUTES:
        if op_method != method or len(template) != len(segments):
            continue
        if all(t.startswith("{") or t == s for t, s in zip(template, segments)):
            return name
    return None


class ApiError(Exception):
    def __init__(self, status, code, detail, parameters=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.parameters = parameters or []
        self.headers = headers or {}

    def body(self):
        # ApiError in the specification; its "parameters" are objects, so the emulator's plain values stay out.
        return {"detail": self.detail, "error": self.status, "errorCode": self.code, "reason": REASONS.get(self.status, "Error")}


def _iso(when):
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _new_id():
    return secrets.token_hex(12)


def _md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - HTTP Digest (RFC 7616) uses MD5


class State:
    """Everything the emulator stores; guarded by one lock."""

    def __init__(self):
        self.projects = {}
        self.clusters = {}
        self.users = {}
        self.access = {}
        self.services = {}


class AtlasEmulator:
    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        provisioning_delay=1.0,
        org_ids=None,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        public_key=DEFAULT_PUBLIC_KEY,
        private_key=DEFAULT_PRIVATE_KEY,
        token_ttl=3600,
        seed=None,
        clock=None,
    ):
        self.clock = clock or Clock()
        self.host = host
        self.port = port
        self.lock = threading.RLock()
        self.config = {
            "provisioning_delay": float(provisioning_delay),
            "token_ttl": float(token_ttl),
            "org_ids": list(org_ids or [DEFAULT_ORG_ID]),
            "service_accounts": {client_id: client_secret},
            "api_keys": {public_key: private_key},
            # totalCount is an estimate in the real API; a non-zero value makes the emulator's count off by that much.
            "total_count_error": 0,
            # Private endpoint services go INITIATING -> WAITING_FOR_USER instead of AVAILABLE when set.
            "service_waits_for_user": False,
        }
        self.faults = {"rate": 0.0, "statuses": [429, 500, 503], "drop": False, "retry_after": "1", "include_token": True}
        # A fault schedule: rules matched in order against each API request (see set_fault_schedule).
        self.schedule = []
        # Called with (request dict, response dict) for every API exchange; tests validate them against the spec.
        self.observer = None
        self._window = None
        self._window_count = 0
        self.random = random.Random(seed)  # noqa: S311 - fault injection, not cryptography
        self.state = State()
        self.tokens = {}
        self.nonces = {}
        self.requests = []
        self.httpd = None
        self.thread = None

    # ------------------------------------------------------------ lifecycle
    def start(self):
        self.httpd = ThreadingHTTPServer((self.host, self.port), _make_handler(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="atlas-emulator", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    # ------------------------------------------------------------ test API
    def reset(self):
        with self.lock:
            self.state = State()
            self.tokens.clear()
            self.nonces.clear()
            self.requests = []
            self.faults.update(rate=0.0, drop=False)
            self.schedule = []
            self.config.update(total_count_error=0, service_waits_for_user=False)

    def set_faults(self, rate=0.0, statuses=None, drop=False, retry_after="1", seed=None, include_token=True):
        with self.lock:
            self.faults = {
                "rate": float(rate),
                "statuses": list(statuses or [429, 500, 503]),
                "drop": bool(drop),
                "retry_after": retry_after,
                "include_token": include_token,
            }
            if seed is not None:
                self.random.seed(seed)

    def set_fault_schedule(self, rules, seed=None):
        """Inject faults by rule instead of by rate, so a run reproduces exactly.

        Each rule is a dict: ``method`` (optional), ``path`` (a regular expression searched in the API path,
        optional), ``nth`` (1 = the first matching request, default 1), ``times`` (how many consecutive matching
        requests from the nth on, default 1), ``fault`` (429, 500, 502, 503, 504, "drop_before" or "drop_after")
        and ``after_write`` (status faults only: answer the status after the request took effect, as a gateway
        does when the backend finished but the answer was lost). With ``seed``, a rule whose fault is "random"
        draws its fault from FAULT_KINDS with that seed.
        """
        rng = random.Random(seed)  # noqa: S311 - fault injection, not cryptography
        with self.lock:
            self.schedule = []
            for rule in rules:
                rule = dict(rule)
                if rule.get("fault") == "random":
                    rule["fault"] = rng.choice(FAULT_KINDS)
                if rule.get("fault") not in FAULT_KINDS:
                    raise ValueError("unknown fault {!r}".format(rule.get("fault")))
                rule.setdefault("nth", 1)
                rule.setdefault("times", 1)
                rule["_seen"] = 0
                self.schedule.append(rule)

    def _scheduled_fault(self, method, path):
        """Every rule counts every request it matches; the first rule whose turn it is fires."""
        fired = None
        for rule in self.schedule:
            if rule.get("method") and rule["method"] != method:
                continue
            if rule.get("path") and not re.search(rule["path"], path):
                continue
            rule["_seen"] += 1
            if fired is None and rule["nth"] <= rule["_seen"] < rule["nth"] + rule["times"]:
                fired = rule["fault"], bool(rule.get("after_write"))
        return fired

    def configure(self, **values):
        with self.lock:
            for key, value in values.items():
                if key in ("provisioning_delay", "token_ttl"):
                    self.config[key] = float(value)
                elif key == "total_count_error":
                    self.config[key] = int(value)
                elif key == "service_waits_for_user":
                    self.config[key] = bool(value)
                else:
                    raise KeyError(key)

    def set_cluster_state(self, gid, name, state, seconds):
        """Put a cluster in a state (for example REPAIRING) for ``seconds`` of emulator time, then IDLE."""
        if state not in FACTS.CLUSTER_STATES:
            raise ValueError(state)
        with self.lock:
            cluster = self.state.clusters[(gid, name)]
            cluster["stateName"] = state
            cluster["_ready_at"] = self.clock.monotonic() + float(seconds)

    def clear_requests(self):
        with self.lock:
            self.requests = []

    def request_log(self):
        with self.lock:
            return list(self.requests)

    def write_requests(self):
        return [r for r in self.request_log() if r["method"] in WRITE_METHODS and r["path"].startswith(API_PREFIX)]

    def snapshot(self):
        with self.lock:
            self._advance()
            return {
                "projects": [dict(p) for p in self.state.projects.values()],
                "clusters": [self._public_cluster(c) for c in self.state.clusters.values()],
                "users": [self._public_user(u) for u in self.state.users.values()],
                "access": {gid: list(entries.values()) for gid, entries in self.state.access.items()},
                "services": [self._public_service(s) for s in self.state.services.values()],
            }

    # ------------------------------------------------------------ time-based lifecycle
    def _ready_at(self):
        return self.clock.monotonic() + self.config["provisioning_delay"]

    def _advance(self):
        now = self.clock.monotonic()
        for key in list(self.state.clusters):
            cluster = self.state.clusters[key]
            if cluster["_ready_at"] <= now:
                if cluster["stateName"] == "DELETING":
                    del self.state.clusters[key]
                    continue
                if cluster["stateName"] in ("CREATING", "UPDATING", "REPAIRING"):
                    cluster["stateName"] = "IDLE"
        for sid in list(self.state.services):
            service = self.state.services[sid]
            if service["_ready_at"] <= now:
                if service["status"] == "DELETING":
                    del self.state.services[sid]
                    continue
                if service["status"] == "INITIATING":
                    service["status"] = "WAITING_FOR_USER" if self.config["service_waits_for_user"] else "AVAILABLE"
                    service["endpointServiceName"] = "com.amazonaws.vpce.{}.vpce-svc-{}".format(
                        service["regionName"].lower().replace("_", "-"), secrets.token_hex(9)[:17]
                    )
            for eid in list(service["_endpoints"]):
                endpoint = service["_endpoints"][eid]
                if endpoint["_ready_at"] <= now:
                    if endpoint["connectionStatus"] == "DELETING":
                        del service["_endpoints"][eid]
                    elif endpoint["connectionStatus"] in ("PENDING_ACCEPTANCE", "PENDING"):
                        endpoint["connectionStatus"] = "AVAILABLE"
            service["interfaceEndpoints"] = sorted(service["_endpoints"])

    # ------------------------------------------------------------ auth
    def check_token_request(self, headers, body):
        auth = headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            raise ApiError(401, "UNAUTHORIZED", "Missing client credentials.")
        try:
            client_id, _sep, secret = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(401, "UNAUTHORIZED", "Malformed client credentials.") from None
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if form.get("grant_type") != ["client_credentials"]:
            raise ApiError(400, "INVALID_GRANT_TYPE", "grant_type must be client_credentials.")
        if self.config["service_accounts"].get(client_id) != secret or not secret:
            raise ApiError(401, "INVALID_CLIENT", "Invalid service account client credentials.")
        token = "eyJ" + secrets.token_urlsafe(32)
        self.tokens[token] = self.clock.monotonic() + self.config["token_ttl"]
        return {"access_token": token, "token_type": "Bearer", "expires_in": int(self.config["token_ttl"])}

    def authenticate(self, method, raw_path, headers):
        auth = headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            expiry = self.tokens.get(auth[7:])
            if expiry is None:
                raise ApiError(401, "UNAUTHORIZED", "Invalid access token.")
            if expiry <= self.clock.monotonic():
                raise ApiError(401, "UNAUTHORIZED", "The access token has expired.")
            return "bearer"
        if auth.startswith("Digest "):
            params = _parse_digest(auth)
            nonce = params.get("nonce")
            user = params.get("username")
            password = self.config["api_keys"].get(user)
            if nonce not in self.nonces:
                raise self._digest_challenge(stale=nonce is not None)
            if password is None or params.get("uri") != raw_path:
                raise self._digest_challenge()
            ha1 = _md5(f"{user}:{REALM}:{password}")
            ha2 = _md5(f"{method}:{raw_path}")
            if params.get("qop") == "auth":
                expected = _md5("{}:{}:{}:{}:auth:{}".format(ha1, nonce, params.get("nc"), params.get("cnonce"), ha2))
            else:
                expected = _md5(f"{ha1}:{nonce}:{ha2}")
            if not secrets.compare_digest(expected, params.get("response", "")):
                raise self._digest_challenge()
            return "digest"
        raise self._digest_challenge()

    def _digest_challenge(self, stale=False):
        nonce = secrets.token_hex(16)
        self.nonces[nonce] = self.clock.monotonic()
        header = 'Digest realm="{}", domain="", nonce="{}", algorithm=MD5, qop="auth", stale={}'.format(REALM, nonce, "true" if stale else "false")
        return ApiError(401, "UNAUTHORIZED", "You are not authorized for this resource.", headers={"WWW-Authenticate": header})

    # ------------------------------------------------------------ routing
    def dispatch(self, method, path_segments, query, body):
        """Route an authenticated API request; return (status, resource family, payload)."""
        s = path_segments
        if not s or s[0] != "groups":
            raise ApiError(404, "RESOURCE_NOT_FOUND", "Cannot find resource /{}.".format("/".join(s)))
        if len(s) == 1:
            if method == "GET":
                return 200, "projects", self._page(sorted(self.state.projects.values(), key=lambda p: p["created"]), query)
            if method == "POST":
                return 201, "projects", self.create_project(body)
        elif len(s) == 3 and s[1] == "byName" and method == "GET":
            return 200, "projects", self.project_by_name(s[2])
        elif len(s) >= 2:
            gid = s[1]
            if len(s) == 2:
                project = self.project(gid)
                if method == "GET":
                    return 200, "projects", project
                if method == "PATCH":
                    return 200, "projects", self.update_project(project, body)
                if method == "DELETE":
                    self.delete_project(project)
                    return 204, "projects", None
            else:
                self.project(gid)
                family = s[2]
                rest = s[3:]
                handler = {
                    "clusters": self.route_clusters,
                    "databaseUsers": self.route_users,
                    "accessList": self.route_access,
                    "privateEndpoint": self.route_private_endpoints,
                }.get(family)
                if handler is not None:
                    status, payload = handler(method, gid, rest, query, body)
                    return status, family, payload
        raise ApiError(404, "RESOURCE_NOT_FOUND", "Cannot find resource /{}.".format("/".join(s)))

    def _page(self, items, query, path=None):
        try:
            per_page = int(query.get("itemsPerPage", ["100"])[0])
            page = int(query.get("pageNum", ["1"])[0])
        except ValueError:
            raise ApiError(400, "INVALID_QUERY_PARAMETER", "itemsPerPage and pageNum must be integers.") from None
        if not 1 <= per_page <= 500 or page < 1:
            raise ApiError(400, "INVALID_QUERY_PARAMETER", "itemsPerPage must be 1-500 and pageNum at least 1.")
        start = (page - 1) * per_page
        results = [self._public(item) for item in items[start : start + per_page]]
        links = [{"href": f"?pageNum={page}&itemsPerPage={per_page}", "rel": "self"}]
        if start + per_page < len(items):
            links.append({"href": f"?pageNum={page + 1}&itemsPerPage={per_page}", "rel": "next"})
        if page > 1:
            links.append({"href": f"?pageNum={page - 1}&itemsPerPage={per_page}", "rel": "previous"})
        out = {"links": links, "results": results}
        if query.get("includeCount", ["true"])[0] != "false":
            # The specification calls totalCount an estimate; total_count_error makes it one.
            out["totalCount"] = max(0, len(items) + self.config["total_count_error"])
        return out

    def _public(self, item):
        if "_kind" not in item:
            return item
        return {"cluster": self._public_cluster, "user": self._public_user, "service": self._public_service}[item["_kind"]](item)

    # ------------------------------------------------------------ projects
    def project(self, gid):
        project = self.state.projects.get(gid)
        if project is None:
            raise ApiError(404, "GROUP_NOT_FOUND", f"No group with ID {gid} exists.", [gid])
        project["clusterCount"] = sum(1 for c in self.state.clusters.values() if c["groupId"] == gid)
        return project

    def project_by_name(self, name):
        for project in self.state.projects.values():
            if project["name"] == name:
                return self.project(project["id"])
        raise ApiError(404, "GROUP_NAME_NOT_FOUND", f"No group with name {name} exists.", [name])

    def create_project(self, body):
        name = body.get("name")
        org_id = body.get("orgId")
        if not isinstance(name, str) or not re.match(r"^[\w .()-]{1,64}$", name):
            raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute name specified.", ["name"])
        if org_id not in self.config["org_ids"]:
            raise ApiError(404, "ORG_NOT_FOUND", f"No organization with ID {org_id} exists.", [org_id])
        if any(p["name"] == name for p in self.state.projects.values()):
            raise ApiError(409, "GROUP_ALREADY_EXISTS", f"A group with name {name} already exists.", [name])
        project = {
            "id": _new_id(),
            "name": name,
            "orgId": org_id,
            "clusterCount": 0,
            "created": _iso(self.clock.now()),
            "tags": _check_tags(body.get("tags", [])),
            "withDefaultAlertsSettings": bool(body.get("withDefaultAlertsSettings", True)),
        }
        self.state.projects[project["id"]] = project
        self.state.access[project["id"]] = {}
        return project

    def update_project(self, project, body):
        if "name" in body:
            project["name"] = body["name"]
        if "tags" in body:
            project["tags"] = _check_tags(body["tags"])
        return project

    def delete_project(self, project):
        if any(c["groupId"] == project["id"] for c in self.state.clusters.values()):
            raise ApiError(409, "CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS", "Cannot close group while it has active clusters; please terminate all clusters.")
        del self.state.projects[project["id"]]
        self.state.access.pop(project["id"], None)

    # ------------------------------------------------------------ clusters
    def route_clusters(self, method, gid, rest, query, body):
        if not rest:
            if method == "GET":
                return 200, self._page([c for c in self.state.clusters.values() if c["groupId"] == gid], query)
            if method == "POST":
                return 201, self._public_cluster(self.create_cluster(gid, body))
        elif len(rest) == 1:
            cluster = self.state.clusters.get((gid, rest[0]))
            if cluster is None:
                raise ApiError(404, "CLUSTER_NOT_FOUND", f"No cluster named {rest[0]} exists in group {gid}.", [rest[0], gid])
            if method == "GET":
                return 200, self._public_cluster(cluster)
            if method == "PATCH":
                return 200, self._public_cluster(self.update_cluster(cluster, body))
            if method == "DELETE":
                if cluster["terminationProtectionEnabled"]:
                    raise ApiError(
                        400,
                        "CANNOT_TERMINATE_CLUSTER_WHEN_TERMINATION_PROTECTION_ENABLED",
                        "Unable to terminate cluster {} because termination protection is enabled.".format(cluster["name"]),
                    )
                if cluster["stateName"] != "DELETING":
                    cluster["stateName"] = "DELETING"
                    cluster["_ready_at"] = self._ready_at()
                return 202, None
        raise ApiError(404, "RESOURCE_NOT_FOUND", "Cannot find resource.")

    def _check_specs(self, specs):
        if not isinstance(specs, list) or not specs:
            raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute replicationSpecs specified.", ["replicationSpecs"])
        out = []
        for spec in specs:
            configs = spec.get("regionConfigs")
            if not isinstance(configs, list) or not configs:
                raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute regionConfigs specified.", ["regionConfigs"])
            new_configs = []
            for cfg in configs:
                provider = cfg.get("providerName")
                if provider not in PROVIDERS:
                    raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {provider} was specified.", [provider])
                region = cfg.get("regionName")
                if region not in REGIONS[provider]:
                    raise ApiError(400, "INVALID_REGION", f"Invalid region {region} for provider {provider}.", [region])
                priority = cfg.get("priority", 7)
                if not isinstance(priority, int) or not 0 <= priority <= 7:
                    raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute priority specified.", ["priority"])
                electable = dict(cfg.get("electableSpecs") or {})
                size = electable.get("instanceSize")
                if size not in INSTANCE_SIZES[provider]:
                    raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {size} was specified.", [size])
                electable.setdefault("nodeCount", 3)
                electable.setdefault("diskSizeGB", 10.0)
                scaling = cfg.get("autoScaling") or {}
                for key in ("minInstanceSize", "maxInstanceSize"):
                    value = (scaling.get("compute") or {}).get(key)
                    if value is not None and value not in AUTO_SCALING_SIZES[provider]:
                        raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {value} was specified.", [value])
                new_cfg = {
                    "providerName": provider,
                    "regionName": region,
                    "priority": priority,
                    "electableSpecs": electable,
                    "readOnlySpecs": dict(cfg.get("readOnlySpecs") or {"instanceSize": size, "nodeCount": 0, "diskSizeGB": electable["diskSizeGB"]}),
                    "analyticsSpecs": dict(cfg.get("analyticsSpecs") or {"instanceSize": size, "nodeCount": 0, "diskSizeGB": electable["diskSizeGB"]}),
                    "autoScaling": {
                        "compute": dict({"enabled": False, "scaleDownEnabled": False}, **(scaling.get("compute") or {})),
                        "diskGB": dict({"enabled": True}, **(scaling.get("diskGB") or {})),
                    },
                }
                new_configs.append(new_cfg)
            out.append({"id": spec.get("id") or _new_id(), "zoneId": spec.get("zoneId") or _new_id(), "zoneName": spec.get("zoneName") or "Zone 1",
                        "regionConfigs": new_configs})  # fmt: skip
        return out

    def create_cluster(self, gid, body):
        name = body.get("name")
        if not isinstance(name, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$", name):
            raise ApiError(400, "INVALID_CLUSTER_NAME", f"Cluster name {name} is invalid.", [name])
        if (gid, name) in self.state.clusters:
            raise ApiError(400, "DUPLICATE_CLUSTER_NAME", f"A cluster named {name} is already present in group {gid}.", [name, gid])
        cluster_type = body.get("clusterType", "REPLICASET")
        if cluster_type not in CLUSTER_TYPES:
            raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {cluster_type} was specified.", [cluster_type])
        major = body.get("mongoDBMajorVersion", "8.0")
        if major not in MAJOR_VERSIONS:
            raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {major} was specified.", [major])
        cluster = {
            "_kind": "cluster",
            "id": _new_id(),
            "groupId": gid,
            "name": name,
            "clusterType": cluster_type,
            "createDate": _iso(self.clock.now()),
            "mongoDBMajorVersion": major,
            "mongoDBVersion": major + ".4",
            "featureCompatibilityVersion": major,
            "versionReleaseSystem": "LTS",
            "backupEnabled": bool(body.get("backupEnabled", False)),
            "pitEnabled": bool(body.get("pitEnabled", False)),
            "terminationProtectionEnabled": bool(body.get("terminationProtectionEnabled", False)),
            "paused": bool(body.get("paused", False)),
            "tags": _check_tags(body.get("tags", [])),
            "replicationSpecs": self._check_specs(body.get("replicationSpecs")),
            "stateName": "CREATING",
            "_ready_at": self._ready_at(),
            "_host": f"{name.lower()}.{secrets.token_hex(3)}",
        }
        self.state.clusters[(gid, name)] = cluster
        return cluster

    def update_cluster(self, cluster, body):
        if cluster["stateName"] == "DELETING":
            raise ApiError(400, "CLUSTER_ALREADY_REQUESTED_DELETION", "Cluster {} is being deleted.".format(cluster["name"]))
        others = sorted(k for k in body if k not in ("paused", "name") and body[k] != cluster.get(k))
        if cluster["paused"] and body.get("paused") is not False and others:
            detail = "Cluster {} is paused; resume it before changing {}.".format(cluster["name"], ", ".join(others))
            raise ApiError(409, "CANNOT_UPDATE_PAUSED_CLUSTER", detail)
        if cluster["paused"] and body.get("paused") is False and others:
            raise ApiError(400, "CANNOT_RESUME_AND_UPDATE_CLUSTER", "Resume cluster {} on its own before other changes.".format(cluster["name"]))
        if "mongoDBMajorVersion" in body:
            self._check_major_change(cluster, body["mongoDBMajorVersion"])
        simple = {
            "backupEnabled": bool,
            "pitEnabled": bool,
            "terminationProtectionEnabled": bool,
            "paused": bool,
        }
        changed_hardware = False
        for key, value in body.items():
            if key in simple:
                changed_hardware = changed_hardware or (key == "paused" and bool(value) != cluster["paused"])
                cluster[key] = simple[key](value)
            elif key == "tags":
                cluster["tags"] = _check_tags(value)
            elif key == "mongoDBMajorVersion":
                if value not in MAJOR_VERSIONS:
                    raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {value} was specified.", [value])
                changed_hardware = changed_hardware or value != cluster["mongoDBMajorVersion"]
                cluster["mongoDBMajorVersion"] = value
                cluster["mongoDBVersion"] = value + ".4"
                cluster["featureCompatibilityVersion"] = value
                cluster.pop("featureCompatibilityVersionExpirationDate", None)
            elif key == "clusterType":
                if value not in CLUSTER_TYPES:
                    raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {value} was specified.", [value])
                cluster["clusterType"] = value
            elif key == "replicationSpecs":
                cluster["replicationSpecs"] = self._check_specs(value)
                changed_hardware = True
            elif key in ("name", "id", "groupId", "stateName", "connectionStrings", "createDate", "mongoDBVersion", "links"):
                continue
            else:
                raise ApiError(400, "INVALID_ATTRIBUTE", f"Invalid attribute {key} specified.", [key])
        if changed_hardware:
            cluster["stateName"] = "UPDATING"
            cluster["_ready_at"] = self._ready_at()
        return cluster

    @staticmethod
    def _check_major_change(cluster, value):
        """One major version up at a time; down one only while the FCV is pinned to it (the specification's rules)."""
        if value not in MAJOR_VERSIONS:
            raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {value} was specified.", [value])
        have = cluster["mongoDBMajorVersion"]
        step = int(value.split(".")[0]) - int(have.split(".")[0])
        pinned = cluster.get("featureCompatibilityVersionExpirationDate") and cluster.get("featureCompatibilityVersion") == value
        if step > 1 or step < -1 or (step == -1 and not pinned):
            raise ApiError(
                400,
                "INVALID_MONGODB_VERSION_CHANGE",
                f"Cannot change MongoDB major version from {have} to {value}: upgrade one major version at a time, downgrade only to a pinned FCV.",
                [have, value],
            )

    def _public_cluster(self, cluster):
        out = {k: json.loads(json.dumps(v)) for k, v in cluster.items() if not k.startswith("_")}
        strings = {}
        if cluster["stateName"] in ("IDLE", "UPDATING"):
            host = cluster["_host"]
            strings = {
                "standard": "mongodb://{0}-shard-00-00.mongodb.net:27017,{0}-shard-00-01.mongodb.net:27017,{0}-shard-00-02.mongodb.net:27017/?ssl=true"
                "&authSource=admin&replicaSet=atlas-{1}-shard-0".format(host, host.split(".")[1]),
                "standardSrv": f"mongodb+srv://{host}.mongodb.net",
                "privateEndpoint": [],
            }
            regions = {cfg["regionName"] for spec in cluster["replicationSpecs"] for cfg in spec["regionConfigs"]}
            for service in self.state.services.values():
                if service["groupId"] != cluster["groupId"] or service["regionName"] not in regions:
                    continue
                for eid, endpoint in sorted(service["_endpoints"].items()):
                    if endpoint["connectionStatus"] != "AVAILABLE":
                        continue
                    strings["privateEndpoint"].append(
                        {
                            "connectionString": "mongodb://pl-0-{}.{}.mongodb.net:1024/?ssl=true&authSource=admin".format(service["regionName"].lower(), host),
                            "srvConnectionString": f"mongodb+srv://{host}-pl-0.mongodb.net",
                            "srvShardOptimizedConnectionString": f"mongodb+srv://{host}-pl-0-lb.mongodb.net",
                            "type": "MONGOD",
                            "endpoints": [{"endpointId": eid, "providerName": "AWS", "region": service["regionName"]}],
                        }
                    )
        out["connectionStrings"] = strings
        return out

    # ------------------------------------------------------------ database users
    def route_users(self, method, gid, rest, query, body):
        if not rest:
            if method == "GET":
                return 200, self._page([u for u in self.state.users.values() if u["groupId"] == gid], query)
            if method == "POST":
                return 201, self._public_user(self.create_user(gid, body))
        elif len(rest) == 2:
            db, username = rest
            user = self.state.users.get((gid, db, username))
            if user is None:
                raise ApiError(404, "USERNAME_NOT_FOUND", f"No user with username {username} exists.", [username])
            if method == "GET":
                return 200, self._public_user(user)
            if method == "PATCH":
                return 200, self._public_user(self.update_user(user, body))
            if method == "DELETE":
                del self.state.users[(gid, db, username)]
                return 204, None
        raise ApiError(404, "RESOURCE_NOT_FOUND", "Cannot find resource.")

    def _check_user_fields(self, user, body):
        for key in ("roles", "scopes", "labels"):
            if key in body and not isinstance(body[key], list):
                raise ApiError(400, "INVALID_ATTRIBUTE", f"Invalid attribute {key} specified.", [key])
        for role in body.get("roles", []):
            if not role.get("roleName") or not role.get("databaseName"):
                raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute roles specified.", ["roles"])
        for scope in body.get("scopes", []):
            if scope.get("type") not in FACTS.DATABASE_USER_SCOPE_TYPES:
                raise ApiError(400, "INVALID_ENUM_VALUE", "An invalid enumeration value {} was specified.".format(scope.get("type")), [scope.get("type")])
        for key in ("roles", "scopes", "labels", "description", "awsIAMType", "x509Type", "ldapAuthType"):
            if key in body:
                user[key] = json.loads(json.dumps(body[key]))
        if "password" in body:
            if not isinstance(body["password"], str) or len(body["password"]) < 8:
                raise ApiError(400, "INVALID_PASSWORD", "The password must be at least 8 characters.")
            user["_password_hash"] = hashlib.sha256(body["password"].encode("utf-8")).hexdigest()

    def create_user(self, gid, body):
        username = body.get("username")
        db = body.get("databaseName")
        if not username:
            raise ApiError(400, "MISSING_ATTRIBUTE", "The required attribute username was not specified.", ["username"])
        external = body.get("awsIAMType", "NONE") != "NONE" or body.get("x509Type", "NONE") != "NONE"
        if external and db != "$external":
            raise ApiError(400, "INVALID_ATTRIBUTE", "Users with AWS IAM or X.509 authentication must use the $external database.", ["databaseName"])
        if not external:
            if db != "admin":
                raise ApiError(400, "INVALID_ATTRIBUTE", "SCRAM users must use the admin authentication database.", ["databaseName"])
            if not body.get("password"):
                raise ApiError(400, "MISSING_ATTRIBUTE", "The required attribute password was not specified.", ["password"])
        if not body.get("roles"):
            raise ApiError(400, "MISSING_ATTRIBUTE", "The required attribute roles was not specified.", ["roles"])
        if (gid, db, username) in self.state.users:
            raise ApiError(409, "USER_ALREADY_EXISTS", f"The user {username} already exists.", [username])
        user = {
            "_kind": "user",
            "groupId": gid,
            "username": username,
            "databaseName": db,
            "roles": [],
            "scopes": [],
            "labels": [],
            "awsIAMType": "NONE",
            "x509Type": "NONE",
            "ldapAuthType": "NONE",
            "oidcAuthType": "NONE",
        }
        self._check_user_fields(user, body)
        self.state.users[(gid, db, username)] = user
        return user

    def update_user(self, user, body):
        missing = [key for key in FACTS.DATABASE_USER_REQUIRED if key not in body]
        if missing:
            raise ApiError(400, "MISSING_ATTRIBUTE", f"The required attribute {missing[0]} was not specified.", missing[:1])
        if body["username"] != user["username"] or body["databaseName"] != user["databaseName"]:
            raise ApiError(400, "INVALID_ATTRIBUTE", "username and databaseName must name the user in the path.", ["username"])
        self._check_user_fields(user, body)
        return user

    @staticmethod
    def _public_user(user):
        # groupId and password are writeOnly in the specification: never answered.
        return {k: json.loads(json.dumps(v)) for k, v in user.items() if not k.startswith("_") and k not in ("password", "groupId")}

    # ------------------------------------------------------------ access list
    def route_access(self, method, gid, rest, query, body):
        entries = self.state.access.setdefault(gid, {})
        if not rest:
            if method == "GET":
                return 200, self._page(list(entries.values()), query)
            if method == "POST":
                if not isinstance(body, list) or not body:
                    raise ApiError(400, "INVALID_ATTRIBUTE", "The request body must be a non-empty array of access list entries.")
                prepared = [self._access_entry(gid, item) for item in body]
                for key, entry in prepared:
                    if key in entries:
                        entries[key].update({k: v for k, v in entry.items() if k in ("comment", "deleteAfterDate")})
                    else:
                        entries[key] = entry
                return 201, self._page(list(entries.values()), query)
        elif len(rest) == 1:
            key = _access_key_from_path(rest[0])
            if key not in entries:
                raise ApiError(
                    404,
                    "ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND",
                    f"IP Address {rest[0]} not on Atlas access list for group {gid}.",
                    [rest[0], gid],
                )
            if method == "GET":
                return 200, entries[key]
            if method == "DELETE":
                del entries[key]
                return 204, None
        raise ApiError(404, "RESOURCE_NOT_FOUND", "Cannot find resource.")

    def _access_entry(self, gid, item):
        given = [k for k in ("cidrBlock", "ipAddress", "awsSecurityGroup") if item.get(k)]
        if len(given) != 1:
            raise ApiError(400, "INVALID_ATTRIBUTE", "Each entry needs exactly one of cidrBlock, ipAddress or awsSecurityGroup.")
        patterns = {
            "ipAddress": FACTS.ACCESS_LIST_IP_ADDRESS_PATTERN,
            "cidrBlock": FACTS.ACCESS_LIST_CIDR_BLOCK_PATTERN,
            "awsSecurityGroup": FACTS.ACCESS_LIST_SECURITY_GROUP_PATTERN,
        }
        if not re.search(patterns[given[0]], item[given[0]]):
            raise ApiError(400, "INVALID_ATTRIBUTE", f"Invalid attribute {given[0]} specified.", [given[0]])
        if len(item.get("comment") or "") > FACTS.ACCESS_LIST_COMMENT_MAX_LENGTH:
            raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute comment specified.", ["comment"])
        entry = {"groupId": gid, "comment": item.get("comment", "")}
        if item.get("deleteAfterDate"):
            try:
                when = datetime.datetime.fromisoformat(item["deleteAfterDate"].replace("Z", "+00:00"))
            except ValueError:
                raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute deleteAfterDate specified.", ["deleteAfterDate"]) from None
            now = self.clock.now()
            if item.get("awsSecurityGroup") or not now < when <= now + datetime.timedelta(days=7):
                raise ApiError(400, "INVALID_DELETE_AFTER_DATE", "deleteAfterDate must be later than now and at most one week ahead.", ["deleteAfterDate"])
            entry["deleteAfterDate"] = item["deleteAfterDate"]
        if item.get("awsSecurityGroup"):
            if not re.match(r"^([0-9]{12}/)?sg-[0-9a-f]{8,17}$", item["awsSecurityGroup"]):
                raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid security group {}.".format(item["awsSecurityGroup"]), [item["awsSecurityGroup"]])
            entry["awsSecurityGroup"] = item["awsSecurityGroup"]
            return item["awsSecurityGroup"], entry
        value = item.get("cidrBlock") or item.get("ipAddress")
        value = value.replace("%2F", "/").replace("%2f", "/")
        try:
            if item.get("cidrBlock"):
                network = ipaddress.ip_network(value, strict=True)
            else:
                address = ipaddress.ip_address(value)
                network = ipaddress.ip_network(f"{address}/{address.max_prefixlen}")
        except ValueError:
            raise ApiError(400, "INVALID_IP_ADDRESS_OR_CIDR_NOTATION", f"The address {value} must be in valid IP address or CIDR notation.", [value]) from None
        # Answered in the form the specification's patterns describe: IPv6 with all eight groups.
        entry["cidrBlock"] = f"{_full_address(network.network_address)}/{network.prefixlen}"
        if network.prefixlen == network.max_prefixlen:
            entry["ipAddress"] = _full_address(network.network_address)
        return str(network), entry

    # ------------------------------------------------------------ private endpoints
    def route_private_endpoints(self, method, gid, rest, query, body):
        if rest == ["endpointService"] and method == "POST":
            return 201, self._public_service(self.create_service(gid, body))
        if len(rest) >= 2 and rest[1] == "endpointService":
            provider = rest[0]
            if provider not in PROVIDERS:
                raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {provider} was specified.", [provider])
            services = [s for s in self.state.services.values() if s["groupId"] == gid and s["cloudProvider"] == provider]
            if len(rest) == 2 and method == "GET":
                return 200, [self._public_service(s) for s in services]
            if len(rest) >= 3:
                service = next((s for s in services if s["id"] == rest[2]), None)
                if service is None:
                    raise ApiError(404, "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND", f"Private endpoint service {rest[2]} not found.", [rest[2]])
                if len(rest) == 3:
                    if method == "GET":
                        return 200, self._public_service(service)
                    if method == "DELETE":
                        if service["_endpoints"]:
                            raise ApiError(
                                400,
                                "CANNOT_DELETE_PRIVATE_ENDPOINT_SERVICE_WITH_ENDPOINTS",
                                "Delete the interface endpoints of service {} first.".format(service["id"]),
                            )
                        if service["status"] != "DELETING":
                            service["status"] = "DELETING"
                            service["_ready_at"] = self._ready_at()
                        return 204, None
                if len(rest) == 4 and rest[3] == "endpoint" and method == "POST":
                    return 201, self.create_endpoint(service, body)
                if len(rest) == 5 and rest[3] == "endpoint":
                    endpoint = service["_endpoints"].get(rest[4])
                    if endpoint is None:
                        raise ApiError(404, "PRIVATE_ENDPOINT_NOT_FOUND", f"Interface endpoint {rest[4]} not found.", [rest[4]])
                    if method == "GET":
                        return 200, _strip_private(endpoint)
                    if method == "DELETE":
                        if endpoint["connectionStatus"] != "DELETING":
                            endpoint["connectionStatus"] = "DELETING"
                            endpoint["deleteRequested"] = True
                            endpoint["_ready_at"] = self._ready_at()
                        return 204, None
        raise ApiError(404, "RESOURCE_NOT_FOUND", "Cannot find resource.")

    def create_service(self, gid, body):
        provider = body.get("providerName")
        if provider != "AWS":
            raise ApiError(400, "INVALID_ENUM_VALUE", f"An invalid enumeration value {provider} was specified.", [provider])
        region = str(body.get("region", "")).upper().replace("-", "_")
        if region not in REGIONS["AWS"]:
            raise ApiError(400, "INVALID_REGION", "Invalid region {} for provider AWS.".format(body.get("region")), [body.get("region")])
        for service in self.state.services.values():
            if service["groupId"] == gid and service["regionName"] == region and service["status"] != "DELETING":
                # 400, not 409: the specification declares no 409 answer for this operation.
                raise ApiError(
                    400,
                    "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",
                    f"A private endpoint service already exists for region {region}.",
                    [region],
                )
        service = {
            "_kind": "service",
            "_endpoints": {},
            "_ready_at": self._ready_at(),
            "id": _new_id(),
            "groupId": gid,
            "cloudProvider": "AWS",
            "regionName": region,
            "status": "INITIATING",
            "interfaceEndpoints": [],
        }
        self.state.services[service["id"]] = service
        return service

    def create_endpoint(self, service, body):
        endpoint_id = body.get("id")
        if not isinstance(endpoint_id, str) or not re.match(FACTS.AWS_INTERFACE_ENDPOINT_ID_PATTERN, endpoint_id):
            raise ApiError(400, "INVALID_ATTRIBUTE", f"Invalid interface endpoint id {endpoint_id}.", [endpoint_id])
        if service["status"] not in ("AVAILABLE", "WAITING_FOR_USER"):
            raise ApiError(400, "PRIVATE_ENDPOINT_SERVICE_NOT_READY", "Private endpoint service {} is not AVAILABLE yet.".format(service["id"]))
        if endpoint_id in service["_endpoints"]:
            raise ApiError(409, "PRIVATE_ENDPOINT_ALREADY_EXISTS", f"Interface endpoint {endpoint_id} is already registered.", [endpoint_id])
        endpoint = {
            "cloudProvider": "AWS",
            "interfaceEndpointId": endpoint_id,
            "connectionStatus": "PENDING_ACCEPTANCE",
            "deleteRequested": False,
            "_ready_at": self._ready_at(),
        }
        service["_endpoints"][endpoint_id] = endpoint
        service["interfaceEndpoints"] = sorted(service["_endpoints"])
        return _strip_private(endpoint)

    @staticmethod
    def _public_service(service):
        return {k: json.loads(json.dumps(v)) for k, v in service.items() if not k.startswith("_") and k != "groupId"}

    # ------------------------------------------------------------ fault injection
    def pick_fault(self, is_token, method=None, path=None):
        """(kind, Retry-After value, after_write) for this request, or None. The schedule wins over the rate."""
        with self.lock:
            faults = dict(self.faults)
            if not is_token and self.schedule:
                scheduled = self._scheduled_fault(method, path)
                if scheduled is not None:
                    return scheduled[0], faults["retry_after"], scheduled[1]
            if faults["rate"] <= 0 or (is_token and not faults["include_token"]):
                return None
            if self.random.random() >= faults["rate"]:
                return None
            kinds = list(faults["statuses"])
            if faults["drop"]:
                kinds.extend(["drop_before", "drop_after"])
            return self.random.choice(kinds), faults["retry_after"], False

    def rate_limit_headers(self):
        """RateLimit-Limit / RateLimit-Remaining as the specification describes them (a fixed window per minute)."""
        window = int(self.clock.monotonic() // 60)
        if self._window != window:
            self._window, self._window_count = window, 0
        self._window_count += 1
        return {"RateLimit-Limit": str(RATE_LIMIT), "RateLimit-Remaining": str(max(0, RATE_LIMIT - self._window_count))}


def _strip_private(item):
    return {k: v for k, v in item.items() if not k.startswith("_")}


def _check_tags(tags):
    if not isinstance(tags, list):
        raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute tags specified.", ["tags"])
    out = []
    for tag in tags:
        if not isinstance(tag, dict) or not tag.get("key") or tag.get("value") is None:
            raise ApiError(400, "INVALID_ATTRIBUTE", "Invalid attribute tags specified.", ["tags"])
        out.append({"key": str(tag["key"]), "value": str(tag["value"])})
    return out


def _full_address(address):
    if address.version == 6:
        return ":".join(f"{int(group, 16):x}" for group in address.exploded.split(":"))
    return str(address)


def _access_key_from_path(value):
    if value.startswith("sg-"):
        return value
    try:
        if "/" in value:
            return str(ipaddress.ip_network(value, strict=False))
        address = ipaddress.ip_address(value)
        return f"{address}/{address.max_prefixlen}"
    except ValueError:
        return value


def _parse_digest(header):
    params = {}
    for match in re.finditer(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header[len("Digest ") :]):
        params[match.group(1).lower()] = match.group(2) if match.group(2) is not None else match.group(3)
    return params


def _make_handler(emulator):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "AtlasEmulator/1.0"

        def log_message(self, format, *args):
            return

        def _read_body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, status, payload, headers=None, content_type="application/json"):
            data = b"" if payload is None else json.dumps(payload).encode("utf-8")
            self.send_response(status)
            if data:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if data:
                self.wfile.write(data)

        def _drop(self):
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

        def _observe(self, raw_path, body, status, headers, payload, mtype):
            if emulator.observer is None or not urllib.parse.urlsplit(raw_path).path.startswith(API_PREFIX + "/"):
                return
            request = {"method": self.command, "path": raw_path, "headers": dict(self.headers.items()), "body": body}
            response = {"status": status, "headers": dict(headers or {}, **({"Content-Type": mtype} if payload is not None else {})), "body": payload}
            emulator.observer(request, response)

        def _fault_answer(self, kind, retry_after):
            headers = dict(emulator.rate_limit_headers())
            if kind in (429, 503) and retry_after is not None:
                headers["Retry-After"] = str(retry_after)
            code = {429: "RATE_LIMITED", 503: "SERVICE_UNAVAILABLE"}.get(kind, "UNEXPECTED_ERROR")
            return ApiError(kind, code, f"Injected fault {kind}.", headers=headers)

        def _handle(self):
            raw_path = self.path
            parsed = urllib.parse.urlsplit(raw_path)
            body = self._read_body()
            record = {"method": self.command, "path": parsed.path, "query": parsed.query, "time": time.time(), "status": None, "fault": None}
            with emulator.lock:
                emulator.requests.append(record)
            if parsed.path.startswith("/_emulator/"):
                record["control"] = True
                return self._control(parsed.path, body)
            is_token = parsed.path == "/api/oauth/token"
            is_api = parsed.path.startswith(API_PREFIX + "/")
            fault = emulator.pick_fault(is_token, self.command, parsed.path[len(API_PREFIX) :]) if (is_token or is_api) else None
            after_write = None
            if fault is not None:
                kind, retry_after, after = fault
                record["fault"] = kind if not after else f"{kind}_after_write"
                if kind == "drop_before":
                    return self._drop()
                if kind != "drop_after" and not after:
                    err = self._fault_answer(kind, retry_after)
                    record["status"] = kind
                    self._observe(raw_path, body, kind, err.headers, err.body(), "application/json")
                    return self._send(kind, err.body(), err.headers)
                after_write = kind
            try:
                status, payload, mtype = self._route(raw_path, parsed, body, is_token)
                headers = {}
            except ApiError as err:
                status, payload, mtype, headers = err.status, err.body(), "application/json", dict(err.headers)
                record["error_code"] = err.code
            if is_api:
                with emulator.lock:
                    headers.update(emulator.rate_limit_headers())
            record["status"] = status
            if after_write == "drop_after":
                return self._drop()
            if after_write is not None:
                # The request took effect; the answer the client gets is the gateway's error.
                err = self._fault_answer(after_write, fault[1])
                record["status"] = after_write
                self._observe(raw_path, body, after_write, err.headers, err.body(), "application/json")
                return self._send(after_write, err.body(), err.headers)
            self._observe(raw_path, body, status, headers, payload, mtype)
            return self._send(status, payload, headers, mtype)

        def _route(self, raw_path, parsed, body, is_token):
            with emulator.lock:
                if is_token:
                    if self.command != "POST":
                        raise ApiError(404, "RESOURCE_NOT_FOUND", "Cannot find resource.")
                    return 200, emulator.check_token_request(self.headers, body), "application/json"
                if not parsed.path.startswith(API_PREFIX):
                    raise ApiError(404, "RESOURCE_NOT_FOUND", f"Cannot find resource {parsed.path}.")
                emulator.authenticate(self.command, raw_path, self.headers)
                segments = [urllib.parse.unquote(s) for s in parsed.path[len(API_PREFIX) :].split("/") if s]
                operation = find_operation(self.command, segments)
                if operation is None:
                    raise ApiError(404, "RESOURCE_NOT_FOUND", f"Cannot find resource {parsed.path}.")
                versions = FACTS.OPERATIONS[operation]["versions"]
                match = ACCEPT_PATTERN.search(self.headers.get("Accept", ""))
                if not match or match.group(1) not in versions:
                    raise ApiError(406, "INVALID_VERSION_DATE", "Invalid accept header or version date.")
                version = match.group(1)
                sunset = versions[version]
                if sunset and emulator.clock.now().date() >= datetime.date.fromisoformat(sunset):
                    raise ApiError(410, "VERSION_GONE", f"Version {version} of this resource was sunset on {sunset}.", [version])
                payload = None
                if self.command in ("POST", "PATCH", "PUT"):
                    ctype = self.headers.get("Content-Type", "")
                    content = ACCEPT_PATTERN.search(ctype)
                    if not content or content.group(1) != version:
                        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", f"Unsupported Content-Type {ctype}.")
                    try:
                        payload = json.loads(body.decode("utf-8")) if body else {}
                    except (ValueError, UnicodeDecodeError):
                        raise ApiError(400, "INVALID_JSON", "Received JSON does not match expected format.") from None
                emulator._advance()
                query = urllib.parse.parse_qs(parsed.query)
                _status, _family, result = emulator.dispatch(self.command, segments, query, payload)
                # The success status is the one the specification gives the operation (200, 201, 202 or 204).
                status = FACTS.OPERATIONS[operation]["statuses"][0]
                return status, result, f"application/vnd.atlas.{version}+json"

        def _control(self, path, body):
            try:
                data = json.loads(body.decode("utf-8")) if body else {}
            except ValueError:
                return self._send(400, {"detail": "control body must be JSON"})
            if path == "/_emulator/requests":
                if self.command == "GET":
                    return self._send(200, [r for r in emulator.request_log() if not r.get("control")])
                if self.command == "DELETE":
                    emulator.clear_requests()
                    return self._send(204, None)
            if path == "/_emulator/faults" and self.command in ("PUT", "POST"):
                emulator.set_faults(**data)
                return self._send(200, emulator.faults)
            if path == "/_emulator/config" and self.command in ("PUT", "POST"):
                try:
                    emulator.configure(**data)
                except KeyError as exc:
                    return self._send(400, {"detail": f"unknown setting {exc}"})
                return self._send(200, {k: v for k, v in emulator.config.items() if k in ("provisioning_delay", "token_ttl")})
            if path == "/_emulator/reset" and self.command == "POST":
                emulator.reset()
                return self._send(204, None)
            if path == "/_emulator/state" and self.command == "GET":
                return self._send(200, emulator.snapshot())
            return self._send(404, {"detail": "unknown control endpoint"})

        def do_GET(self):
            self._handle()

        def do_POST(self):
            self._handle()

        def do_PATCH(self):
            self._handle()

        def do_PUT(self):
            self._handle()

        def do_DELETE(self):
            self._handle()

    return Handler


def main(argv=None):
    parser = argparse.ArgumentParser(description="MongoDB Atlas Administration API v2 emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4580)
    parser.add_argument("--provisioning-delay", type=float, default=float(os.environ.get("ATLAS_EMULATOR_PROVISIONING_DELAY", "2")))
    parser.add_argument("--token-ttl", type=float, default=3600)
    parser.add_argument("--org-id", action="append", dest="org_ids", help="organization id that exists (repeatable)")
    parser.add_argument("--client-id", default=os.environ.get("ATLAS_EMULATOR_CLIENT_ID", DEFAULT_CLIENT_ID))
    parser.add_argument("--client-secret", default=os.environ.get("ATLAS_EMULATOR_CLIENT_SECRET", DEFAULT_CLIENT_SECRET))
    parser.add_argument("--public-key", default=os.environ.get("ATLAS_EMULATOR_PUBLIC_KEY", DEFAULT_PUBLIC_KEY))
    parser.add_argument("--private-key", default=os.environ.get("ATLAS_EMULATOR_PRIVATE_KEY", DEFAULT_PRIVATE_KEY))
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of API requests answered with a fault")
    parser.add_argument("--fault-drop", action="store_true", help="include dropped connections among the faults")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the emulator only listens on loopback")
    emulator = AtlasEmulator(
        host=args.host,
        port=args.port,
        provisioning_delay=args.provisioning_delay,
        org_ids=args.org_ids,
        client_id=args.client_id,
        client_secret=args.client_secret,
        public_key=args.public_key,
        private_key=args.private_key,
        token_ttl=args.token_ttl,
        seed=args.seed,
    )
    if args.fault_rate:
        emulator.set_faults(rate=args.fault_rate, drop=args.fault_drop)
    emulator.start()
    print("Atlas emulator listening on {} (org {})".format(emulator.base_url, emulator.config["org_ids"][0]), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
