"""The GitOps tree under argocd/: structure, agreement with the inventories, and what each Application deploys.

argocd/<env>/ is the path of the root Application chatbot-<env>-root (playbooks/chatbot.yml creates it from the
inventory): a kustomization whose resources are that environment's child Applications. These tests read the tree
as ArgoCD does (kustomize, here kubectl's built-in copy), compare it with the inventories whose cluster runs it,
render every child's chart source with exactly its value files and validate the result strictly. The CRD schema
check needs ../shared/crd-schemas and skips without it; the rest does not.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import OUTPUTS, render

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "argocd"
SCHEMAS = ROOT.parent / "shared" / "crd-schemas"
TREES = ("dev", "staging", "prod")
INVENTORIES = ("local", "dev", "staging", "prod")
SERVER = "https://kubernetes.default.svc"
DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")


def kustomize(path: Path) -> list[dict]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl is not on PATH (make setup installs it into .tools/bin); it builds the kustomizations")
    result = subprocess.run([kubectl, "kustomize", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"kustomize {path.relative_to(ROOT)} failed: {result.stderr}"
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def inventory(env: str) -> dict:
    """The facts the tree restates (literal values in these files)."""
    merged: dict = {}
    for topic in ("gitops", "kubernetes"):
        merged.update(yaml.safe_load((ROOT / "inventories" / env / "group_vars" / "all" / f"{topic}.yml").read_text()))
    return merged


@pytest.fixture(scope="module")
def tree() -> dict[str, list[dict]]:
    """What each root Application's path yields: env -> its child Applications."""
    return {env: kustomize(TREE / env) for env in TREES}


@pytest.fixture(scope="module")
def apps(tree) -> list[tuple[str, dict]]:
    return [(env, app) for env, docs in tree.items() for app in docs if app["kind"] == "Application"]


@pytest.fixture(scope="module")
def rendered_sources(apps) -> dict[str, object]:
    """Each chatbot Application's chart source rendered with exactly its value files (the Terraform ARNs that the
    root Application patches in stand in from tests/charts/fixtures/platform-outputs.yaml)."""
    found = {}
    for _env, app in apps:
        source = app["spec"]["source"]
        chart = ROOT / source["path"]
        found[app["metadata"]["name"]] = render(*(chart / f for f in source["helm"]["valueFiles"]), OUTPUTS, chart=chart)
    return found


def test_tree_holds_one_folder_per_environment_and_nothing_else():
    assert sorted(p.name for p in TREE.iterdir()) == sorted(TREES), "argocd/ holds exactly dev, staging and prod"
    for env in TREES:
        kustomization = yaml.safe_load((TREE / env / "kustomization.yaml").read_text())
        listed = kustomization["resources"]
        files = sorted(p.name for p in (TREE / env).iterdir() if p.name != "kustomization.yaml")
        # Every child the root refers to exists, and every file in the folder is a child (none is forgotten).
        assert sorted(listed) == files, f"argocd/{env}: kustomization lists {listed}, the folder holds {files}"
        assert set(kustomization) <= {"apiVersion", "kind", "resources"}, f"argocd/{env}: the kustomization only lists the children"


def test_each_root_owns_exactly_its_own_children(tree):
    names = {}
    for env, docs in tree.items():
        assert docs, f"argocd/{env} yields nothing"
        for doc in docs:
            assert (doc["apiVersion"], doc["kind"]) == ("argoproj.io/v1alpha1", "Application"), f"argocd/{env}: {doc['kind']} (only Applications)"
            name = doc["metadata"]["name"]
            assert name == f"chatbot-{env}" or name.startswith(f"chatbot-{env}-"), f"argocd/{env}: {name} is not named for {env}"
            assert doc["spec"]["project"] == f"chatbot-{env}", f"{name}: project {doc['spec']['project']}, not chatbot-{env}"
            assert doc["metadata"]["namespace"] == "argocd"
            assert name not in names, f"{name} is in argocd/{names.get(name)} and argocd/{env}"
            names[name] = env
        assert f"chatbot-{env}" in [d["metadata"]["name"] for d in docs], f"argocd/{env} has no chatbot-{env} Application"


@pytest.mark.parametrize("env", INVENTORIES)
def test_applications_agree_with_the_inventory(apps, env):
    facts = inventory(env)
    runs = facts["platform_gitops_environment"]
    assert runs in TREES, f"inventories/{env}: platform_gitops_environment {runs}"
    if env != "local":
        assert runs == env, f"inventories/{env} runs argocd/{runs}"
    mine = [app for tree_env, app in apps if tree_env == runs]
    for app in mine:
        name = app["metadata"]["name"]
        source, destination = app["spec"]["source"], app["spec"]["destination"]
        assert source["repoURL"] == facts["platform_gitops_repo_url"], f"{name}: repoURL {source['repoURL']} != inventories/{env} platform_gitops_repo_url"
        assert str(source["targetRevision"]) == str(facts["platform_gitops_revision"]), f"{name}: targetRevision != inventories/{env} platform_gitops_revision"
        assert destination == {"server": SERVER, "namespace": "chatbot"}, f"{name}: destination {destination}"
        assert destination["namespace"] in facts["platform_namespaces"], (
            f"{name}: namespace {destination['namespace']} not in inventories/{env} platform_namespaces"
        )
        assert app["metadata"]["namespace"] in facts["platform_namespaces"]


@pytest.mark.parametrize("env", [*INVENTORIES, "management"])
def test_the_gitops_repository_is_this_collections_repository(env):
    """ArgoCD (environments), AWX (management) and the image pipeline's OIDC trust all name platform_gitops_repo_url."""
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    url = yaml.safe_load((ROOT / "inventories" / env / "group_vars" / "all" / "gitops.yml").read_text())["platform_gitops_repo_url"]
    assert url.removesuffix(".git") == galaxy["repository"], f"inventories/{env}: platform_gitops_repo_url {url} is not galaxy.yml's {galaxy['repository']}"


def test_every_manifest_validates_against_the_crds():
    if not SCHEMAS.is_dir():
        pytest.skip(f"{SCHEMAS} is absent (CI clones have no ../shared): the Application CRD schema is not available")
    sys.path.insert(0, str(ROOT / "scripts"))
    import validate_crds

    store = validate_crds.crd_schemas.SchemaStore([SCHEMAS])
    checked = 0
    for path in sorted(TREE.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                assert validate_crds.crd_schemas.is_custom(doc), f"{path}: {doc.get('kind')} is not a custom resource"
                errors = store.errors(doc)
                assert not errors, f"{path.relative_to(ROOT)}: {errors}"
                checked += 1
    assert checked >= len(TREES)


def test_chatbot_sources_use_exactly_the_chart_and_its_value_files(apps):
    for env, app in apps:
        source = app["spec"]["source"]
        if source["path"] != "charts/chatbot":
            continue
        assert source["helm"]["valueFiles"] == ["values.yaml", f"values-{env}.yaml", f"images-{env}.yaml"], app["metadata"]["name"]
        assert source["helm"]["releaseName"] == "chatbot", "the release name the chart's resource names and tests assume"
        for f in source["helm"]["valueFiles"]:
            assert (ROOT / source["path"] / f).is_file(), f"{app['metadata']['name']}: value file {f} does not exist"
        assert "valuesObject" not in source["helm"] and "values" not in source["helm"], "values belong in the value files (the root adds the ARNs)"


def test_every_source_renders_and_validates_strictly(apps, rendered_sources, tmp_path):
    version = str(yaml.safe_load((ROOT / "inventories" / "prod" / "group_vars" / "all" / "main.yml").read_text())["platform_eks_version"])
    files = []
    for name, manifests in rendered_sources.items():
        assert manifests, f"{name} renders nothing"
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump_all(list(manifests)))
        files.append(str(path))
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", "-k", version, *files], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"kubernetes-validate --strict -k {version}:\n{result.stdout}{result.stderr}"
    assert len(files) == len(apps)


def test_images_are_pinned_by_digest(apps, rendered_sources):
    for env, app in apps:
        images = yaml.safe_load((ROOT / "charts" / "chatbot" / f"images-{env}.yaml").read_text())
        assert set(images) == {"frontend", "backend", "gateway"}, f"images-{env}.yaml"
        for component, values in images.items():
            assert set(values) == {"image"} and set(values["image"]) == {"tag", "digest"}, f"images-{env}.yaml {component}: only image.tag and image.digest"
            assert DIGEST.match(values["image"]["digest"]), f"images-{env}.yaml {component}: digest {values['image']['digest']}"
            assert values["image"]["tag"].startswith(f"{env}-"), f"images-{env}.yaml {component}: the tag is the {env} release"
        values_env = yaml.safe_load((ROOT / "charts" / "chatbot" / f"values-{env}.yaml").read_text())
        for component in images:
            assert "tag" not in values_env[component]["image"] and "digest" not in values_env[component]["image"], (
                f"values-{env}.yaml sets {component}'s image version: it belongs in images-{env}.yaml alone"
            )
        manifests = rendered_sources[app["metadata"]["name"]]
        wanted = {f"{values_env[c]['image']['repository']}@{images[c]['image']['digest']}" for c in images}
        running = set()
        for kind in ("Deployment", "Job"):
            for workload in manifests.of(kind):
                for c in workload["spec"]["template"]["spec"]["containers"]:
                    if "/chatbot/" in c["image"]:
                        running.add(c["image"])
        assert running == wanted, f"{env}: the chatbot's containers run {running}, images-{env}.yaml says {wanted}"


def test_sync_policies(apps):
    policies = {env: app["spec"]["syncPolicy"] for env, app in apps if app["metadata"]["name"] == f"chatbot-{env}"}
    assert policies["dev"]["automated"] == {"prune": True, "selfHeal": True}
    assert policies["staging"]["automated"] == {"prune": False, "selfHeal": True}
    assert "automated" not in policies["prod"], "prod syncs only by hand (which is what lets argocd app rollback work)"
    for env, app in apps:
        policy = app["spec"]["syncPolicy"]
        assert policy["retry"]["limit"] >= 1 and policy["retry"]["backoff"]["factor"] >= 2, f"{env}: retry with back-off"
        assert "RespectIgnoreDifferences=true" in policy["syncOptions"], env
        assert "CreateNamespace=false" in policy["syncOptions"], f"{env}: the namespace is the cluster add-ons step's"
        assert app["spec"]["revisionHistoryLimit"] >= 5, f"{env}: history kept for rollback"


def test_ignore_differences_are_exactly_the_replicas_the_hpas_own(apps, rendered_sources):
    for env, app in apps:
        manifests = rendered_sources[app["metadata"]["name"]]
        owned = {
            (h["spec"]["scaleTargetRef"]["kind"], h["spec"]["scaleTargetRef"]["name"])
            for h in manifests.of("HorizontalPodAutoscaler")
            if h["spec"]["scaleTargetRef"]["apiVersion"] == "apps/v1"
        }
        ignored = set()
        for rule in app["spec"].get("ignoreDifferences", []):
            assert rule["group"] == "apps" and rule.get("jsonPointers") == ["/spec/replicas"], f"{env}: only HPA-owned replicas are ignored: {rule}"
            assert rule["namespace"] == app["spec"]["destination"]["namespace"]
            ignored.add((rule["kind"], rule["name"]))
        assert ignored == owned, f"{env}: ignoreDifferences names {sorted(ignored)}, the HPAs own {sorted(owned)}"
        if env == "prod":
            assert owned, "prod autoscales"
