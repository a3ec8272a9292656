# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the Atlas client with a scripted transport: retries, Retry-After, pagination, tokens, Digest."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from ansible_collections.chatbot.platform.plugins.module_utils._atlas import client as atlas_client
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import (
    AtlasApiError,
    AtlasAuthError,
    AtlasClient,
    AtlasTransportError,
    DigestAuth,
    media_type,
    parse_digest_challenge,
    parse_retry_after,
)

SA = {"client_id": "mdb_sa_id_1", "client_secret": "mdb_sa_sk_1"}


class FakeTransport:
    """Answers requests from a script of (status, headers, body) or exceptions; records every call."""

    def __init__(self, script=None, handler=None):
        self.script = list(script or [])
        self.handler = handler
        self.calls = []

    def __call__(self, method, url, headers, body, timeout, validate_certs):
        self.calls.append({"method": method, "url": url, "headers": dict(headers), "body": body})
        if self.handler is not None:
            return self.handler(method, url, headers, body)
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        status, hdrs, payload = item
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode() if payload is not None else b""
        return status, {k.lower(): v for k, v in hdrs.items()}, data


class Clock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def token_answer(token="tok-1", expires_in=3600):  # noqa: S107 - a fake token
    return 200, {}, {"access_token": token, "token_type": "Bearer", "expires_in": expires_in}


def make_client(transport, clock=None, rand=None, **kwargs):
    clock = clock or Clock()
    params = dict(SA)
    params.update(kwargs)
    return AtlasClient(
        base_url="https://atlas.example.test",
        transport=transport,
        sleep=clock.sleep,
        clock=clock,
        wall_clock=clock,
        rand=rand or (lambda: 0.5),
        token_cache={},
        **params,
    )


def test_media_type_and_headers_per_resource():
    transport = FakeTransport([token_answer(), (200, {}, {"id": "g1"})])
    client = make_client(transport)
    client.post("/groups", "2023-01-01", {"name": "x"})
    call = transport.calls[1]
    assert call["url"] == "https://atlas.example.test/api/atlas/v2/groups"
    assert call["headers"]["Accept"] == "application/vnd.atlas.2023-01-01+json"
    assert call["headers"]["Content-Type"] == media_type("2023-01-01")
    assert call["headers"]["Authorization"] == "Bearer tok-1"
    token_call = transport.calls[0]
    assert token_call["url"] == "https://atlas.example.test/api/oauth/token"
    assert token_call["body"] == b"grant_type=client_credentials"
    assert token_call["headers"]["Authorization"] == "Basic " + base64.b64encode(b"mdb_sa_id_1:mdb_sa_sk_1").decode()


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    client = make_client(FakeTransport(), rand=lambda: 0.0)
    assert [client.backoff_delay(n) for n in range(7)] == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    client = make_client(FakeTransport(), rand=lambda: 1.0)
    assert [client.backoff_delay(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 20.0]


def test_retries_5xx_and_429_then_succeeds():
    clock = Clock()
    transport = FakeTransport([token_answer(), (500, {}, {"error": 500}), (503, {}, None), (429, {}, {"errorCode": "RATE_LIMITED"}), (200, {}, {"ok": True})])
    client = make_client(transport, clock=clock, rand=lambda: 0.0)
    assert client.get("/groups/g1", "2023-01-01") == {"ok": True}
    assert clock.sleeps == [0.25, 0.5, 1.0]
    assert client.retry_count == 3


def test_retry_after_header_is_honoured():
    clock = Clock()
    transport = FakeTransport([token_answer(), (429, {"Retry-After": "7"}, None), (200, {}, {})])
    client = make_client(transport, clock=clock)
    client.get("/groups", "2023-01-01")
    assert clock.sleeps == [7.0]


def test_retry_after_http_date_and_bounds():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("100000") == atlas_client.MAX_RETRY_AFTER
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_retries_are_bounded_and_error_is_one_line():
    clock = Clock()
    body = {"detail": "Service\nunavailable", "error": 503, "errorCode": "SERVICE_UNAVAILABLE", "reason": "Service Unavailable"}
    transport = FakeTransport([token_answer()] + [(503, {}, body)] * 3)
    client = make_client(transport, clock=clock, max_retries=2)
    with pytest.raises(AtlasApiError) as err:
        client.get("/groups", "2023-01-01")
    assert len(transport.calls) == 4  # token + 1 try + 2 retries
    assert len(clock.sleeps) == 2
    assert str(err.value) == "Atlas API GET /groups failed with HTTP 503 SERVICE_UNAVAILABLE: Service unavailable"
    assert err.value.error_code == "SERVICE_UNAVAILABLE"


def test_dropped_connections_are_retried_then_reported():
    clock = Clock()
    transport = FakeTransport([token_answer(), AtlasTransportError("reset"), (200, {}, {"id": 1})])
    assert make_client(transport, clock=clock).get("/x", "2023-01-01") == {"id": 1}
    transport = FakeTransport([token_answer()] + [AtlasTransportError("connection refused")] * 3)
    with pytest.raises(AtlasTransportError) as err:
        make_client(transport, clock=Clock(), max_retries=2).get("/x", "2023-01-01")
    assert "after 3 attempts" in str(err.value)


def test_client_errors_are_not_retried():
    transport = FakeTransport([token_answer(), (404, {}, {"error": 404, "errorCode": "CLUSTER_NOT_FOUND", "detail": "No cluster named c exists."})])
    client = make_client(transport)
    with pytest.raises(AtlasApiError) as err:
        client.get("/groups/g/clusters/c", "2024-08-05")
    assert err.value.status == 404
    assert len(transport.calls) == 2
    transport = FakeTransport([token_answer(), (404, {}, {"error": 404, "errorCode": "CLUSTER_NOT_FOUND"})])
    assert make_client(transport).get_or_none("/groups/g/clusters/c", "2024-08-05") is None


def test_pagination_follows_pages_until_total():
    pages = {
        1: {"results": [{"n": 1}, {"n": 2}], "totalCount": 5, "links": [{"rel": "self"}, {"rel": "next"}]},
        2: {"results": [{"n": 3}, {"n": 4}], "totalCount": 5, "links": [{"rel": "self"}, {"rel": "next"}]},
        3: {"results": [{"n": 5}], "totalCount": 5, "links": [{"rel": "self"}]},
    }

    def handler(method, url, headers, body):
        if url.endswith("/api/oauth/token"):
            return 200, {}, json.dumps({"access_token": "t", "expires_in": 3600}).encode()
        page = int(url.split("pageNum=")[1].split("&")[0])
        assert "itemsPerPage=2" in url
        return 200, {}, json.dumps(pages[page]).encode()

    transport = FakeTransport(handler=handler)
    items = make_client(transport).paginate("/groups", "2023-01-01", items_per_page=2)
    assert [i["n"] for i in items] == [1, 2, 3, 4, 5]
    assert len(transport.calls) == 4


def test_pagination_without_total_stops_on_short_page():
    transport = FakeTransport([token_answer(), (200, {}, {"results": [{"n": 1}, {"n": 2}]}), (200, {}, {"results": [{"n": 3}]})])
    items = make_client(transport).paginate("/x", "2023-01-01", items_per_page=2)
    assert [i["n"] for i in items] == [1, 2, 3]
    # With links but no count, the absence of rel=next ends the walk even on a full page.
    transport = FakeTransport([token_answer(), (200, {}, {"results": [{"n": 1}, {"n": 2}], "links": [{"rel": "self"}]})])
    assert len(make_client(transport).paginate("/x", "2023-01-01", items_per_page=2)) == 2
    assert len(transport.calls) == 2


def test_pagination_ignores_an_underestimated_total_count():
    # totalCount is an estimate (the specification says so): a third page with a next link still gets read.
    pages = {
        1: {"results": [{"n": 1}, {"n": 2}], "totalCount": 2, "links": [{"rel": "self"}, {"rel": "next"}]},
        2: {"results": [{"n": 3}, {"n": 4}], "totalCount": 2, "links": [{"rel": "self"}, {"rel": "next"}]},
        3: {"results": [{"n": 5}], "totalCount": 2, "links": [{"rel": "self"}]},
    }

    def handler(method, url, headers, body):
        if url.endswith("/api/oauth/token"):
            return 200, {}, json.dumps({"access_token": "t", "expires_in": 3600}).encode()
        return 200, {}, json.dumps(pages[int(url.split("pageNum=")[1].split("&")[0])]).encode()

    items = make_client(FakeTransport(handler=handler)).call_all("listGroups")
    assert [i["n"] for i in items] == [1, 2, 3, 4, 5]


def test_each_operation_sends_its_own_version_from_one_table():
    transport = FakeTransport(handler=lambda m, u, h, b: (200, {}, b'{"access_token": "t"}') if "oauth" in u else (202, {}, b""))
    client = make_client(transport)
    client.call("deleteGroupCluster", groupId="p1", clusterName="c1")
    client.call("updateGroupCluster", {"paused": False}, groupId="p1", clusterName="c1")
    sent = [(c["method"], c["headers"]["Accept"]) for c in transport.calls if "oauth" not in c["url"]]
    assert sent == [("DELETE", media_type("2023-02-01")), ("PATCH", media_type("2024-10-23"))]
    assert atlas_client.OPERATION_VERSIONS["createGroupCluster"] == "2024-10-23"
    # every version sent is one the specification lists for the operation, without a sunset date
    for operation, version in atlas_client.OPERATION_VERSIONS.items():
        assert atlas_client.OPERATIONS[operation]["versions"][version] is None, (operation, version)


def test_a_retired_version_is_reported_with_operation_and_version():
    gone = (410, {}, {"error": 410, "errorCode": "VERSION_GONE", "detail": "sunset", "reason": "Gone"})
    client = make_client(FakeTransport([token_answer(), gone]))
    with pytest.raises(AtlasApiError) as err:
        client.call("updateGroupCluster", {"paused": False}, groupId="p1", clusterName="c1")
    assert str(err.value).startswith("Atlas no longer serves version 2024-10-23 of operation updateGroupCluster (PATCH /groups/p1/clusters/c1): HTTP 410")
    bad = (406, {}, {"error": 406, "errorCode": "INVALID_VERSION_DATE", "detail": "Invalid accept header", "reason": "Not Acceptable"})
    client = make_client(FakeTransport([token_answer(), bad]))
    with pytest.raises(AtlasApiError, match="does not accept version 2023-01-01 of operation getGroup"):
        client.call("getGroup", groupId="p1")


def test_only_the_listed_not_found_codes_mean_absent():
    missing_project = (404, {}, {"error": 404, "errorCode": "GROUP_NOT_FOUND", "detail": "No group with ID p1 exists."})
    client = make_client(FakeTransport([token_answer(), missing_project]))
    with pytest.raises(AtlasApiError, match="GROUP_NOT_FOUND"):
        client.call_or_none("getGroupCluster", ("CLUSTER_NOT_FOUND",), groupId="p1", clusterName="c1")
    missing_cluster = (404, {}, {"error": 404, "errorCode": "CLUSTER_NOT_FOUND", "detail": "No cluster named c1"})
    client = make_client(FakeTransport([token_answer(), missing_cluster]))
    assert client.call_or_none("getGroupCluster", ("CLUSTER_NOT_FOUND",), groupId="p1", clusterName="c1") is None


def test_token_is_cached_and_refreshed_before_expiry():
    clock = Clock()
    transport = FakeTransport([token_answer("tok-1", 3600), (200, {}, {}), (200, {}, {}), token_answer("tok-2", 3600), (200, {}, {})])
    client = make_client(transport, clock=clock)
    client.get("/a", "2023-01-01")
    clock.now += 3000  # still well within the hour
    client.get("/b", "2023-01-01")
    clock.now += 545  # 55 s before expiry: inside the refresh margin
    client.get("/c", "2023-01-01")
    auths = [c["headers"].get("Authorization") for c in transport.calls if "/api/atlas/v2" in c["url"]]
    assert auths == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    assert sum(1 for c in transport.calls if c["url"].endswith("/api/oauth/token")) == 2


def test_token_is_refetched_once_after_401():
    transport = FakeTransport([token_answer("old"), (401, {}, {"error": 401}), token_answer("new"), (200, {}, {"ok": 1})])
    client = make_client(transport)
    assert client.get("/a", "2023-01-01") == {"ok": 1}
    assert transport.calls[-1]["headers"]["Authorization"] == "Bearer new"


def test_refused_service_account_is_an_auth_error():
    transport = FakeTransport([(401, {}, {"error": 401, "errorCode": "INVALID_CLIENT", "detail": "Invalid client."})])
    with pytest.raises(AtlasAuthError) as err:
        make_client(transport).get("/a", "2023-01-01")
    assert "HTTP 401 INVALID_CLIENT" in str(err.value)
    assert "mdb_sa_sk_1" not in str(err.value)


def test_missing_credentials_are_reported():
    with pytest.raises(AtlasAuthError) as err:
        AtlasClient(base_url="https://x.test")
    assert "MONGODB_ATLAS_CLIENT_ID" in str(err.value)


def _expected_digest(user, password, realm, method, uri, nonce, nc, cnonce):
    def md5(text):
        return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - the algorithm under test

    return md5("{}:{}:{}:{}:auth:{}".format(md5(f"{user}:{realm}:{password}"), nonce, nc, cnonce, md5(f"{method}:{uri}")))


def test_digest_header_matches_rfc_7616():
    auth = DigestAuth("pub", "priv", cnonce_factory=lambda: "abc123")
    auth.update(parse_digest_challenge('Digest realm="MMS Public API", domain="", nonce="n0nce", algorithm=MD5, qop="auth", stale=false'))
    header = auth.header("GET", "/api/atlas/v2/groups?pageNum=1")
    fields = parse_digest_challenge(header)
    assert fields["username"] == "pub"
    assert fields["nc"] == "00000001"
    assert fields["response"] == _expected_digest("pub", "priv", "MMS Public API", "GET", "/api/atlas/v2/groups?pageNum=1", "n0nce", "00000001", "abc123")
    assert parse_digest_challenge(auth.header("GET", "/x"))["nc"] == "00000002"


def test_digest_client_answers_challenge_then_signs_preemptively():
    challenge = {"WWW-Authenticate": 'Digest realm="MMS Public API", nonce="n1", algorithm=MD5, qop="auth"'}
    transport = FakeTransport([(401, challenge, {"error": 401}), (200, {}, {"a": 1}), (200, {}, {"b": 2})])
    client = make_client(transport, client_id=None, client_secret=None, public_key="pub", private_key="priv")
    assert client.get("/groups", "2023-01-01") == {"a": 1}
    assert client.get("/groups", "2023-01-01") == {"b": 2}
    assert "Authorization" not in transport.calls[0]["headers"]
    assert transport.calls[1]["headers"]["Authorization"].startswith("Digest ")
    assert "nc=00000002" in transport.calls[2]["headers"]["Authorization"]
    assert len(transport.calls) == 3


def test_digest_wrong_key_stops_after_one_signed_attempt():
    def challenge(nonce):
        return 401, {"WWW-Authenticate": f'Digest realm="MMS Public API", nonce="{nonce}", qop="auth"'}, {"error": 401, "detail": "Unauthorized."}

    transport = FakeTransport([challenge("n1"), challenge("n2")])
    client = make_client(transport, client_id=None, client_secret=None, public_key="pub", private_key="wrong")
    with pytest.raises(AtlasApiError) as err:
        client.get("/groups", "2023-01-01")
    assert err.value.status == 401
    assert "check the Atlas credentials" in str(err.value)
    assert len(transport.calls) == 2


def test_digest_stale_nonce_is_renewed():
    stale = {"WWW-Authenticate": 'Digest realm="r", nonce="n2", qop="auth", stale=true'}
    first = {"WWW-Authenticate": 'Digest realm="r", nonce="n1", qop="auth"'}
    transport = FakeTransport([(401, first, None), (200, {}, {}), (401, stale, None), (200, {}, {"ok": 1})])
    client = make_client(transport, client_id=None, client_secret=None, public_key="pub", private_key="priv")
    client.get("/a", "2023-01-01")
    assert client.get("/a", "2023-01-01") == {"ok": 1}
    assert 'nonce="n2"' in transport.calls[-1]["headers"]["Authorization"]


def test_bad_base_url_is_rejected():
    with pytest.raises(atlas_client.AtlasError) as err:
        AtlasClient(base_url="cloud.mongodb.com", **SA)
    assert "base_url must be an http(s) URL" in str(err.value)
