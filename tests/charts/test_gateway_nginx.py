"""The gateway's rendered nginx configuration, run by a real nginx: routing, the public/admin split, redirects.

The public listener must never hand an admin route to an upstream, whatever the spelling of the path: the
ALB's admin rules match the raw path case-sensitively, so every spelling they miss reaches the gateway.
The corpus below combines the spellings a hostile client would try; the stubs record what nginx forwards
and `canonical` reads it as generously as any upstream could.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest

from .nginx_gateway import canonical, is_admin_route, running_gateway

# Spellings of the path segments, separators and prefixes a client controls.
API = ["api", "API", "Api", "%61pi", "%61%70%69", "%2561pi", "api.", "api;x", "api%3b"]
ADMIN = [
    "admin",
    "ADMIN",
    "Admin",
    "aDmIn",
    "%61dmin",
    "%61%64%6d%69%6e",
    "%41dmin",
    "admi%6E",
    "%2561dmin",
    "admin.",
    "admin%2e",
    "admin;x",
    "admin%3B",
    "admin%09",
]
SEPARATORS = ["/", "//", "///", "/./", "/%2e/", "/x/../", "/x/%2e%2e/", "/x/..%2f", "/.%2e/api/", "%2f", "%2F", "%252f", "\\", "%5c", "/%2f"]
PREFIXES = ["", "/", "/.", "/static/..", "/x/%2e%2e", "http://chatbot.example.com", "http://evil.example.net"]
TAILS = ["", "/", "/bots", "/train/build_models", "/bots/default/export", "?x=1", "%2fbots", "/..%2f..%2fadmin"]


def admin_spellings() -> list[str]:
    corpus = set()
    # Every spelling of /api/admin/... (the admin API) ...
    for api, sep, admin in itertools.product(API, SEPARATORS, ADMIN):
        corpus.add(f"/{api}{sep}{admin}/bots")
    # ... behind every prefix, with the plainer spellings and every tail ...
    for prefix, api, admin, tail in itertools.product(PREFIXES, API[:3], ADMIN[:5], TAILS):
        corpus.add(f"{prefix}/{api}/{admin}{tail}")
    # ... and of /admin/... (the admin UI on the frontend).
    for prefix, sep, admin, tail in itertools.product(PREFIXES, SEPARATORS, ADMIN[::2], TAILS[:2]):
        corpus.add(f"{prefix}{sep}{admin}{tail}")
    # Admin reached from public routes by dot segments.
    for public in ("/api/bots/channels/rest/webbook", "/api/static/widget", "/_next/static", "/api"):
        for climb in ("/..", "/%2e%2e", "/.%2e", "/..%2f..", "/../.."):
            corpus.update({f"{public}{climb}/admin/bots", f"{public}{climb}/api/admin/bots", f"{public}{climb}/admin"})
    return sorted(corpus)


CORPUS = admin_spellings()


@pytest.fixture(scope="module", params=["dev", "prod"])
def gateway(request, tmp_path_factory):
    """dev (admin on an internal ALB) and prod (admin on the public ALB behind OIDC) as Argo CD renders them."""
    with running_gateway(request.param, tmp_path_factory.mktemp(f"nginx-{request.param}")) as gw:
        yield gw


def test_public_listener_never_reaches_an_admin_route(gateway):
    assert len(CORPUS) > 1000

    def send(target):
        # nginx routes every method alike; GET stands for all of them.
        response = gateway.request(gateway.public, target)
        return target, response.status, response.paths()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, CORPUS))
    bypasses = [
        f"GET {target} -> {status}, {upstream} got {path} ({canonical(path)})"
        for target, status, reached in results
        for upstream, path in reached
        if is_admin_route(path, upstream)
    ]
    assert not bypasses, f"{len(bypasses)} spellings reached an admin route through the public listener:\n" + "\n".join(bypasses[:40])
    refused = sum(1 for _target, status, reached in results if status in (400, 404) and not reached)
    assert refused > len(results) // 2, "the corpus should mostly be refused by the gateway itself"


@pytest.mark.parametrize(
    ("listener", "method", "target", "upstream", "received"),
    [
        # The public listener: the application without its admin surface.
        ("public", "GET", "/", "frontend", "/"),
        ("public", "GET", "/_next/static/chunks/app/page-0a1b2c.js", "frontend", "/_next/static/chunks/app/page-0a1b2c.js"),
        ("public", "GET", "/favicon.ico", "frontend", "/favicon.ico"),
        ("public", "GET", "/api/", "backend", "/"),
        ("public", "GET", "/api/ready", "backend", "/ready"),
        ("public", "POST", "/api/bots/channels/rest/webbook", "backend", "/bots/channels/rest/webbook"),
        ("public", "GET", "/api/bots/channels/facebook/webhook?hub.challenge=42", "backend", "/bots/channels/facebook/webhook?hub.challenge=42"),
        ("public", "GET", "/api/static/widget/script.js", "backend", "/static/widget/script.js"),
        ("public", "GET", "/api/administration-is-not-a-route", None, None),
        # The admin listener: everything, the admin UI and API included.
        ("admin", "GET", "/admin", "frontend", "/admin"),
        ("admin", "GET", "/admin/intents/create", "frontend", "/admin/intents/create"),
        ("admin", "GET", "/api/admin/bots/", "backend", "/admin/bots/"),
        ("admin", "POST", "/api/admin/train/build_models", "backend", "/admin/train/build_models"),
        ("admin", "GET", "/api/bots/channels/rest/webbook", "backend", "/bots/channels/rest/webbook"),
        ("admin", "GET", "/", "frontend", "/"),
    ],
)
def test_routes(gateway, listener, method, target, upstream, received):
    response = gateway.request(getattr(gateway, listener), target, method)
    expected = (404, []) if upstream is None else (200, [(upstream, received)])
    assert (response.status, response.paths()) == expected


def test_health_check_answers_on_both_listeners(gateway):
    for port in (gateway.public, gateway.admin):
        response = gateway.request(port, "/healthz")
        assert (response.status, response.reached) == (200, [])


def test_redirects_stay_relative(gateway):
    """GET /api is answered by nginx itself with a redirect to /api/: it must not name the container port or http://."""
    for port in (gateway.public, gateway.admin):
        response = gateway.request(port, "/api", headers={"X-Forwarded-Proto": "https"})
        assert (response.status, response.headers.get("location")) == (301, "/api/")


def test_backend_gets_the_forwarded_headers(gateway):
    """The ALB's X-Forwarded-Proto reaches the backend (uvicorn trusts it from the gateway's pods); an
    X-Forwarded-For that does not come from a load-balancer address is not believed: nginx appends the
    real peer, which uvicorn then reads as the client."""
    response = gateway.request(gateway.public, "/api/ready", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"})
    (forwarded,) = response.reached
    assert forwarded.upstream == "backend"
    headers = {k.lower(): v for k, v in forwarded.headers.items()}
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-for"].split(",")[-1].strip() == "127.0.0.1"
