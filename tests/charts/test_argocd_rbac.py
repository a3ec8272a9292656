"""ArgoCD's RBAC as the inventories generate it, enforced by a real Casbin engine with ArgoCD's model.

policy.csv comes from roles/argocd/templates/policy.csv.j2 rendered with each inventory's variables (the
template the role puts into argocd-rbac-cm), loaded under ArgoCD's built-in policy the way ArgoCD's adapter loads
them (util/rbac/rbac.go: loadPolicyLine), and enforced with `casbin` (PyPI) using ArgoCD's published model
(tests/charts/data/argocd-rbac/model.conf) and its glob matcher, with the default role checked first as
ArgoCD's enforce() does. Teams are the Identity Center groups of the account estate (management inventory).
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

import casbin
import jinja2
import pytest
import yaml
from casbin.persist import Adapter

from .platform_facts import inventory

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "argocd-rbac"
ROLE = ROOT / "roles" / "argocd"
ENVIRONMENTS = ("local", "dev", "staging", "prod")
RBAC_VARS = ("platform_name", "platform_env", "argocd_rbac_default_role", "argocd_rbac_sync_environments", "argocd_rbac_group_roles",
             "argocd_rbac_group_ids", "argocd_rbac_local_accounts")  # fmt: skip


def gobwas_glob(pattern: str) -> re.Pattern:
    """github.com/gobwas/glob compiled without separators (ArgoCD's util/glob.Match): * and ** any text, ? one
    character, [abc] [!abc] [a-z] classes, {a,b} alternatives, backslash escapes."""
    out, i, depth = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            while i + 1 < len(pattern) and pattern[i + 1] == "*":
                i += 1
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = end
        elif c == "{":
            depth += 1
            out.append("(?:")
        elif c == "}" and depth:
            depth -= 1
            out.append(")")
        elif c == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def glob_match(value: str, pattern: str) -> bool:
    """ArgoCD's globMatchFunc(args...): globOrRegexMatch(r.x, p.x) matches the request value against the policy pattern."""
    return gobwas_glob(pattern).fullmatch(value) is not None


class ArgoCDAdapter(Adapter):
    """The built-in policy, then the user policy, line by line as ArgoCD's argocdAdapter reads them."""

    def __init__(self, *policies: str):
        self.policies = policies

    def load_policy(self, model):
        for policy in self.policies:
            for raw in policy.split("\n"):
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                tokens = next(csv.reader([line], skipinitialspace=True))
                assert (tokens[0] == "g" and len(tokens) == 3) or (tokens[0] == "p" and len(tokens) == 6), f"invalid RBAC policy (ArgoCD rejects it): {line}"
                model.add_policy(tokens[0][:1], tokens[0], tokens[1:])


def role_defaults() -> dict:
    return yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())


@functools.cache
def rbac_vars(env: str) -> dict:
    inv = inventory(env)
    defaults = role_defaults()
    return {name: inv.get(name, defaults.get(name)) for name in RBAC_VARS}


def policy_csv(variables: dict) -> str:
    # Not HTML: a CSV the role writes as is (Ansible's template engine does not escape either).
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROLE / "templates")), undefined=jinja2.StrictUndefined, trim_blocks=True, autoescape=False)  # noqa: S701
    return env.get_template("policy.csv.j2").render(**variables)


class ArgoCDRbac:
    def __init__(self, policy: str, default_role: str):
        self.enforcer = casbin.Enforcer(str(DATA / "model.conf"), ArgoCDAdapter((DATA / "builtin-policy.csv").read_text(), policy))
        self.enforcer.add_function("globOrRegexMatch", glob_match)
        self.default_role = default_role

    def can(self, subjects: list[str], resource: str, action: str, obj: str) -> bool:
        """ArgoCD's enforce(): the default role first, then the user's subjects (an SSO user's groups, or an account)."""
        candidates = ([self.default_role] if self.default_role else []) + subjects
        return any(self.enforcer.enforce(s, resource, action, obj) for s in candidates)


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def rbac(request):
    variables = rbac_vars(request.param)
    default = variables["argocd_rbac_default_role"]
    return request.param, variables, ArgoCDRbac(policy_csv(variables), f"role:{default}" if default else "")


def app(env_name: str, name: str | None = None) -> str:
    return f"chatbot-{env_name}/{name or 'chatbot-' + env_name}"


def group_of(variables: dict, role: str) -> str:
    (key,) = [k for k, v in variables["argocd_rbac_group_roles"].items() if v == role]
    return variables["argocd_rbac_group_ids"][key]


def test_the_glob_matcher_follows_gobwas():
    assert glob_match("chatbot-dev/chatbot-dev", "chatbot-dev/*")
    assert glob_match("chatbot-dev/a/b", "*/*")
    assert not glob_match("chatbot-devx/app", "chatbot-dev/*")
    assert glob_match("action/apps/Deployment/restart", "action/*")
    assert glob_match("staging", "{dev,staging}") and not glob_match("prod", "{dev,staging}")
    assert glob_match("b", "[!a]") and not glob_match("a", "[!a]")


def test_developers_sync_dev_and_staging_never_prod(rbac):
    env, variables, engine = rbac
    developers = [group_of(variables, "developer")]
    assert engine.can(developers, "applications", "sync", app("dev")), env
    assert engine.can(developers, "applications", "sync", app("staging")), env
    assert not engine.can(developers, "applications", "sync", app("prod")), env
    assert engine.can(developers, "applications", "get", app("prod")), env
    assert engine.can(developers, "applications", "action/apps/Deployment/restart", app("staging")), env
    assert not engine.can(developers, "applications", "action/apps/Deployment/restart", app("prod")), env
    for action in ("delete", "update", "override", "create"):
        assert not engine.can(developers, "applications", action, app("dev")), (env, action)
    assert not engine.can(developers, "projects", "update", "chatbot-dev"), env
    assert not engine.can(developers, "exec", "create", app("dev")), env


def test_ci_syncs_only_dev(rbac):
    env, _variables, engine = rbac
    assert engine.can(["ci"], "applications", "sync", app("dev")), env
    assert not engine.can(["ci"], "applications", "sync", app("staging")), env
    assert not engine.can(["ci"], "applications", "sync", app("prod")), env
    assert not engine.can(["ci"], "applications", "update", app("dev")), env
    assert not engine.can(["ci"], "repositories", "create", "*"), env


def test_readonly_and_unknown_users_sync_nothing(rbac):
    env, variables, engine = rbac
    for subjects in ([group_of(variables, "readonly")], ["00000000-0000-0000-0000-00000000ffff"], []):
        for target in ("dev", "staging", "prod"):
            assert engine.can(subjects, "applications", "get", app(target)), (env, subjects)
            assert not engine.can(subjects, "applications", "sync", app(target)), (env, subjects, target)
        assert not engine.can(subjects, "applications", "delete", app("dev")), (env, subjects)
        assert not engine.can(subjects, "clusters", "update", "*"), (env, subjects)


def test_platform_admins_may_do_everything(rbac):
    env, variables, engine = rbac
    admins = [group_of(variables, "platform-admin")]
    for target in ("dev", "staging", "prod"):
        assert engine.can(admins, "applications", "sync", app(target)), (env, target)
        assert engine.can(admins, "applications", "delete", app(target)), (env, target)
    assert engine.can(admins, "projects", "update", "chatbot-prod"), env
    assert engine.can(admins, "clusters", "update", "https://kubernetes.default.svc"), env
    assert engine.can(admins, "exec", "create", app("prod")), env


def test_default_role_is_readonly():
    for env in ENVIRONMENTS:
        assert rbac_vars(env)["argocd_rbac_default_role"] == "readonly", env


def test_teams_are_the_identity_center_groups_of_the_account_estate():
    """Every group ArgoCD binds is a group of the management inventory, given the permission set that matches its role."""
    estate = yaml.safe_load((ROOT / "inventories" / "management" / "group_vars" / "all" / "organization.yml").read_text())
    groups = estate["platform_organization_identity_center_groups"]
    permission_sets: dict[str, set[str]] = {}
    for assignment in estate["platform_organization_identity_center_assignments"]:
        permission_sets.setdefault(assignment["group"], set()).add(assignment["permission_set"])
    expected = {"platform-admin": {"PlatformAdmin"}, "developer": {"Developer"}, "readonly": {"SecurityAudit"}}
    for env in ENVIRONMENTS:
        variables = rbac_vars(env)
        assert sorted(set(variables["argocd_rbac_group_roles"].values())) == ["developer", "platform-admin", "readonly"], env
        for group, role in variables["argocd_rbac_group_roles"].items():
            assert group in groups, f"{env}: {group} is not an Identity Center group of the management inventory"
            assert expected[role] <= permission_sets.get(group, set()), f"{env}: {group} ({role}) lacks the permission set {expected[role]}"
            assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", variables["argocd_rbac_group_ids"][group]), (env, group)
        ids = [variables["argocd_rbac_group_ids"][g] for g in variables["argocd_rbac_group_roles"]]
        assert len(set(ids)) == len(ids), f"{env}: two teams share an Identity Center group id"


def test_the_generated_policy_is_what_argocd_would_load():
    for env in ENVIRONMENTS:
        text = policy_csv(rbac_vars(env))
        rules = [line for line in text.splitlines() if line and not line.startswith("#")]
        assert rules, env
        # Every role the policy names is defined by it or built in, as ArgoCD's ValidatePolicy demands of user roles.
        defined = {r.split(", ")[1] for r in rules} | {"role:admin", "role:readonly"}
        granted = {r.split(", ")[2] for r in rules if r.startswith("g, ")}
        assert granted <= defined, (env, granted - defined)
