"""Step 8 (playbooks/chatbot.yml) as rendered for every inventory: the AppProject and root Application, held
against the inventory, the platform stack's real outputs and the argocd/ tree they bootstrap.

The root Application is followed the way ArgoCD follows it: its kustomize patches are added to a copy of
argocd/<env>/kustomization.yaml and built with kustomize (kubectl's copy), and the chatbot Application that
comes out is rendered with helm from its value files and the values the root patched in.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ENVIRONMENTS, ROOT, stack_outputs

RELEASE = "chatbot-gitops"
SUBSCRIBE = "notifications.argoproj.io/subscribe."
STAND_INS = ROOT / "tests" / "charts" / "fixtures" / "platform-outputs.yaml"


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(str(ROOT / ".tools" / "bin" / name))
    if found is None:
        pytest.fail(f"{name} is not on PATH (make setup installs it into .tools/bin)")
    return found


@pytest.fixture(params=ENVIRONMENTS)
def env(request, rendered):
    found = rendered[request.param]
    if not (found.work_dir / "rendered" / RELEASE / "manifests.yaml").is_file():
        pytest.fail(f"{request.param}: playbooks/chatbot.yml rendered nothing:\n{found.log[-6000:]}")
    return found


def bootstrap(env) -> tuple[dict, dict]:
    docs = env.docs(RELEASE)
    assert sorted(d["kind"] for d in docs) == ["AppProject", "Application"], f"{env.env}: {[d['kind'] for d in docs]}"
    return next(d for d in docs if d["kind"] == "AppProject"), next(d for d in docs if d["kind"] == "Application")


def children(root: dict, tmp_path: Path) -> list[dict]:
    """What the root Application deploys: its path in this checkout, with its kustomize patches applied."""
    source = root["spec"]["source"]
    work = tmp_path / "tree"
    shutil.copytree(ROOT / source["path"], work)
    kustomization = yaml.safe_load((work / "kustomization.yaml").read_text())
    kustomization["patches"] = kustomization.get("patches", []) + source.get("kustomize", {}).get("patches", [])
    (work / "kustomization.yaml").write_text(yaml.safe_dump(kustomization))
    result = subprocess.run([tool("kubectl"), "kustomize", str(work)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


class RenderFailed(AssertionError):
    pass


def render_source(app: dict, tmp_path: Path, *extra: Path) -> list[dict]:
    """helm template of an Application's chart source: its value files, then its valuesObject (ArgoCD's order), then
    `extra` (the tests' stand-ins)."""
    source = app["spec"]["source"]
    chart = ROOT / source["path"]
    cmd = [tool("helm"), "template", source["helm"]["releaseName"], str(chart), "--namespace", app["spec"]["destination"]["namespace"]]
    for f in source["helm"]["valueFiles"]:
        cmd += ["-f", str(chart / f)]
    if "valuesObject" in source["helm"]:
        patched = tmp_path / "values-object.yaml"
        patched.write_text(yaml.safe_dump(source["helm"]["valuesObject"]))
        cmd += ["-f", str(patched)]
    for f in extra:
        cmd += ["-f", str(f)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RenderFailed(result.stderr)
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def test_project_and_root_follow_the_inventory(env):
    project, root = bootstrap(env)
    tree = env.inventory["platform_gitops_environment"]
    assert tree == ("dev" if env.env == "local" else env.env)
    assert (project["metadata"]["name"], project["metadata"]["namespace"]) == (f"chatbot-{tree}", "argocd")
    assert root["metadata"]["name"] == f"chatbot-{tree}-root" and root["metadata"]["namespace"] == "argocd"
    assert root["spec"]["project"] == project["metadata"]["name"]
    source = root["spec"]["source"]
    assert source["repoURL"] == env.inventory["platform_gitops_repo_url"]
    assert str(source["targetRevision"]) == str(env.inventory["platform_gitops_revision"])
    assert source["path"] == f"argocd/{tree}"
    assert root["spec"]["destination"]["namespace"] in env.inventory["platform_namespaces"]
    assert root["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
    assert root["spec"]["revisionHistoryLimit"] >= 5


def test_root_passes_the_stack_arns_to_the_chatbot(env, platform_outputs, tmp_path):
    _project, root = bootstrap(env)
    tree = env.inventory["platform_gitops_environment"]
    apps = {a["metadata"]["name"]: a for a in children(root, tmp_path)}
    chatbot = apps[f"chatbot-{tree}"]
    outputs = stack_outputs(env.env, platform_outputs)
    wanted = {key: outputs.get(output) for key, output in (("certificateArn", "certificate_arn"), ("wafAclArn", "waf_web_acl_arn"))}
    wanted = {key: value for key, value in wanted.items() if value}
    passed = chatbot["spec"]["source"]["helm"].get("valuesObject", {}).get("ingress", {}).get("alb", {})
    assert passed == wanted, "the root passes exactly the ARNs the stack has"
    if "certificateArn" in wanted:
        # The committed value files and the patched values render; the Ingresses carry the stack's certificate and WAF.
        ingresses = [d for d in render_source(chatbot, tmp_path) if d["kind"] == "Ingress"]
        assert ingresses
        for ingress in ingresses:
            annotations = ingress["metadata"]["annotations"]
            assert annotations["alb.ingress.kubernetes.io/certificate-arn"] == wanted["certificateArn"]
            if ingress["metadata"]["name"] == "chatbot-public" and "wafAclArn" in wanted:
                assert annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"] == wanted["wafAclArn"]
    else:
        # A stack without a DNS name (the local inventory's, which every inventory is rendered with here) has no
        # certificate: ArgoCD would show the chart's own refusal on the chatbot Application, as helm does here.
        with pytest.raises(RenderFailed, match=r"ingress\.alb\.certificateArn is required"):
            render_source(chatbot, tmp_path)


def test_project_covers_every_application_and_every_kind(env, tmp_path):
    project, root = bootstrap(env)
    spec = project["spec"]
    destinations = {(d["server"], d["namespace"]) for d in spec["destinations"]}
    allowed = {(k["group"], k["kind"]) for k in spec["namespaceResourceWhitelist"]}
    assert not spec.get("clusterResourceWhitelist"), "no cluster-scoped resource: namespaces and storage classes are step 6's"
    for app in [root, *children(root, tmp_path)]:
        name = app["metadata"]["name"]
        assert app["spec"]["project"] == project["metadata"]["name"], name
        assert app["spec"]["source"]["repoURL"] in spec["sourceRepos"], name
        dest = app["spec"]["destination"]
        assert (dest["server"], dest["namespace"]) in destinations, f"{name}: destination {dest} not in the project"
        assert ("argoproj.io", "Application") in allowed
        if app is root:
            continue
        # The kinds do not depend on the ARNs: the chart tests' stand-ins fill in a certificate the stack may lack.
        for doc in render_source(app, tmp_path, STAND_INS):
            group = doc["apiVersion"].rpartition("/")[0]
            assert (group, doc["kind"]) in allowed, f"{name} renders {group}/{doc['kind']}, which project {project['metadata']['name']} refuses"
            assert doc["metadata"].get("namespace") == dest["namespace"], f"{name}: {doc['kind']}/{doc['metadata']['name']} outside {dest['namespace']}"


def test_notification_subscriptions_use_the_argocd_step_names(env):
    project, _root = bootstrap(env)
    annotations = {k: v for k, v in (project["metadata"].get("annotations") or {}).items() if k.startswith(SUBSCRIBE)}
    wanted = {}
    for trigger, subscriptions in env.inventory["platform_gitops_notify"].items():
        for service, recipient in subscriptions.items():
            wanted[f"{SUBSCRIBE}{trigger}.{service}"] = recipient
    assert annotations == wanted
    # The names must be ones step 7's argocd-notifications-cm defines for this inventory (a service the ArgoCD step
    # leaves out, such as the e-mail relay without its URL, must not be subscribed to).
    notifications = env.get("argocd", "ConfigMap", "argocd-notifications-cm")["data"]
    triggers = {k.removeprefix("trigger.") for k in notifications if k.startswith("trigger.")}
    services = {k.removeprefix("service.").split(".")[-1] for k in notifications if k.startswith("service.")}
    assert triggers and services, f"{env.env}: step 7 rendered no notification triggers or services"
    for key in annotations:
        trigger, _dot, service = key.removeprefix(SUBSCRIBE).partition(".")
        assert trigger in triggers and service in services, f"{env.env}: {key} names a trigger or service argocd-notifications-cm lacks"
    assert any(".on-sync-failed." in k for k in annotations), f"{env.env}: nobody hears of a failed sync"


def test_only_prod_has_a_sync_window(env):
    project, _root = bootstrap(env)
    windows = project["spec"].get("syncWindows", [])
    if env.env == "prod":
        assert [w["kind"] for w in windows] == ["allow"], json.dumps(windows)
        assert windows[0]["applications"] == ["*"] and windows[0]["manualSync"] is False
    else:
        assert windows == []
