"""Ingress: TLS, WAF and target type on the ALB, and the admin paths never open to the internet."""

from __future__ import annotations

import pytest

from .conftest import CHART, MINIMAL, RenderError, render

ADMIN_PATHS = ["/admin", "/api/admin"]
A = "alb.ingress.kubernetes.io/"


def paths(ingress):
    return [(p["path"], p["backend"]["service"]["name"]) for r in ingress["spec"]["rules"] for p in r["http"]["paths"]]


@pytest.mark.parametrize("env", ("dev", "staging", "prod"))
def test_public_alb(envs, env):
    ing = envs[env].get("Ingress", "chatbot-public")
    ann = ing["metadata"]["annotations"]
    assert ing["spec"]["ingressClassName"] == "alb"
    assert ann[A + "scheme"] == "internet-facing"
    assert ann[A + "target-type"] == "ip"
    assert ann[A + "ssl-redirect"] == "443"
    assert ann[A + "listen-ports"] == '[{"HTTP": 80}, {"HTTPS": 443}]'
    assert ann[A + "certificate-arn"].startswith("arn:aws:acm:")
    assert ann[A + "wafv2-acl-arn"].startswith("arn:aws:wafv2:")
    assert ann[A + "group.name"] == f"chatbot-{env}"
    assert ann[A + "ssl-policy"].startswith("ELBSecurityPolicy-TLS13")
    assert paths(ing)[-1] == ("/", "chatbot-gateway")


@pytest.mark.parametrize("env", ("staging", "prod"))
def test_admin_on_the_public_alb_requires_oidc(envs, env):
    m = envs[env]
    admin = m.get("Ingress", "chatbot-admin")
    ann = admin["metadata"]["annotations"]
    assert paths(admin) == [(p, "chatbot-gateway") for p in ADMIN_PATHS]
    assert ann[A + "auth-type"] == "oidc"
    assert ann[A + "auth-on-unauthenticated-request"] == "authenticate"
    assert '"secretName":"chatbot-admin-oidc"' in ann[A + "auth-idp-oidc"]
    public = m.get("Ingress", "chatbot-public")["metadata"]["annotations"]
    assert int(ann[A + "group.order"]) < int(public[A + "group.order"]), "admin rules must be evaluated first"
    assert ann[A + "group.name"] == public[A + "group.name"]
    assert "auth-type" not in "".join(public), "the public rules stay open"
    oidc = m.get("ExternalSecret", "chatbot-admin-oidc")
    assert {d["secretKey"] for d in oidc["spec"]["data"]} == {"clientID", "clientSecret"}


def test_dev_admin_only_on_an_internal_alb(envs):
    m = envs["dev"]
    public = m.get("Ingress", "chatbot-public")
    assert paths(public) == [("/admin", "deny-admin"), ("/api/admin", "deny-admin"), ("/", "chatbot-gateway")]
    assert '"statusCode":"404"' in public["metadata"]["annotations"][A + "actions.deny-admin"]
    admin = m.get("Ingress", "chatbot-admin")["metadata"]["annotations"]
    assert admin[A + "scheme"] == "internal"
    assert admin[A + "group.name"] == "chatbot-dev-internal"


def test_admin_exposure_none_has_no_admin_ingress():
    m = render(CHART / "ci" / "admin-none-values.yaml")
    assert [i["metadata"]["name"] for i in m.of("Ingress")] == ["chatbot-public"]
    public = m.get("Ingress", "chatbot-public")
    for rule in public["spec"]["rules"]:
        assert [(p["path"], p["backend"]["service"]["name"]) for p in rule["http"]["paths"]][:2] == [(p, "deny-admin") for p in ADMIN_PATHS]


def test_cognito_authentication():
    ann = render(CHART / "ci" / "admin-cognito-values.yaml").get("Ingress", "chatbot-admin")["metadata"]["annotations"]
    assert ann[A + "auth-type"] == "cognito"
    assert '"userPoolARN":"arn:aws:cognito-idp:' in ann[A + "auth-idp-cognito"]


def test_public_admin_without_authentication_is_refused():
    with pytest.raises(RenderError, match=r"unauthenticated admin UI"):
        render(MINIMAL, sets={"ingress.admin.exposure": "public"})


def test_oidc_settings_are_required():
    with pytest.raises(RenderError, match=r"oidc.issuer is required"):
        render(MINIMAL, sets={"ingress.admin.exposure": "public", "ingress.admin.auth.type": "oidc"})


def test_certificate_is_required_on_the_alb():
    with pytest.raises(RenderError, match=r"certificateArn is required"):
        render(MINIMAL, sets={"ingress.alb.certificateArn": ""})


def test_nginx_variant_protects_admin_with_external_auth():
    m = render(CHART / "ci" / "nginx-ingress-values.yaml")
    public = m.get("Ingress", "chatbot-public")
    assert public["spec"]["ingressClassName"] == "nginx"
    assert public["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt-prod"
    assert public["spec"]["tls"][0]["secretName"] == "chatbot-tls"
    assert public["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"] == "20m"
    admin = m.get("Ingress", "chatbot-admin")
    assert paths(admin) == [(p, "chatbot-gateway") for p in ADMIN_PATHS]
    assert admin["metadata"]["annotations"]["nginx.ingress.kubernetes.io/auth-url"].startswith("https://")
    assert not any(k.startswith(A) for i in m.of("Ingress") for k in i["metadata"]["annotations"])


def test_nginx_internal_admin_denies_admin_on_the_public_controller():
    m = render(CHART / "ci" / "nginx-internal-admin-values.yaml")
    deny = m.get("Ingress", "chatbot-admin-deny")
    assert deny["spec"]["ingressClassName"] == "nginx"
    assert deny["metadata"]["annotations"]["nginx.ingress.kubernetes.io/denylist-source-range"] == "0.0.0.0/0,::/0"
    assert paths(deny) == [(p, "chatbot-gateway") for p in ADMIN_PATHS]
    internal = m.get("Ingress", "chatbot-admin")
    assert internal["spec"]["ingressClassName"] == "nginx-internal"
    assert internal["spec"]["rules"][0]["host"] == "chatbot-admin.internal.example.org"


def test_nginx_public_admin_without_protection_is_refused():
    with pytest.raises(RenderError, match=r"authUrl"):
        render(CHART / "ci" / "nginx-ingress-values.yaml", sets={"ingress.admin.nginx.authUrl": ""})


def test_ingress_needs_a_host():
    with pytest.raises(RenderError, match=r"ingress.hosts needs at least one host"):
        render(MINIMAL, sets={"ingress.hosts": []})


@pytest.mark.parametrize("case", ["env-dev", "env-staging", "env-prod", *(f"ci-{p.name}" for p in sorted((CHART / "ci").glob("*-values.yaml")))])
def test_only_the_admin_ingress_reaches_the_admin_listener(envs, case):
    """The gateway's public listener (Service port `http`) refuses the admin paths; only the admin Ingress
    (authenticated, or on an internal load balancer) may send traffic to its admin listener (port `admin`)."""
    m = envs[case.removeprefix("env-")] if case.startswith("env-") else render(CHART / "ci" / case.removeprefix("ci-"))
    targets = {}
    for ingress in m.of("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                service = p["backend"]["service"]
                if service["name"] == "chatbot-gateway":
                    targets.setdefault(ingress["metadata"]["name"], set()).add(service["port"]["name"])
    assert targets or not m.of("Ingress"), case
    for name, ports in targets.items():
        assert ports == ({"admin"} if name == "chatbot-admin" else {"http"}), f"{case}: Ingress {name} targets gateway ports {ports}"


def test_admin_listener_needs_its_sources():
    with pytest.raises(RenderError, match=r"admits only gateway.networkPolicy.adminIngressCidrs"):
        render(MINIMAL, sets={"gateway.networkPolicy.adminIngressCidrs": []})
