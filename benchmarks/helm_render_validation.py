"""CPU of helm_render's strict validation per release, with kubernetes-validate's schema files parsed once per process
(what plugins/module_utils/_k8s/render.py does) next to parsed once per document (the library on its own).

    .venv/bin/python benchmarks/helm_render_validation.py [RENDERED_DIR]

RENDERED_DIR holds <release>/manifests.yaml as the Kubernetes steps write them (default: the molecule cluster_addons
scenario's build/molecule/cluster_addons/rendered, else `make demo`'s build/local/rendered). Custom resources are
checked against ../shared/crd-schemas and the CRDs each release renders, as the module does. Each release is validated
in a fresh state (caches emptied) both ways; the findings must be the same. Target, checked at the end (exit 1 when
missed): the parsed-once validation of all releases takes at most half the CPU of the per-document one (custom
resources, checked against their CRDs, cost the same both ways).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build" / "collections"))

from ansible_collections.chatbot.platform.plugins.module_utils._k8s import crd_schemas, render  # noqa: E402

CRD_SCHEMAS = ROOT.parent / "shared" / "crd-schemas"
TARGET_RATIO = 1 / 2
KUBE_VERSION = "1.34"


def _validate(docs: list, schema_contents) -> tuple[float, list[str]]:
    render.kubernetes_validate.schema_contents = schema_contents
    store = crd_schemas.SchemaStore([str(CRD_SCHEMAS)] if CRD_SCHEMAS.is_dir() else [])
    started = time.process_time()
    errors = render.validate_documents(docs, KUBE_VERSION, store, "default")
    return time.process_time() - started, errors


def main(argv: list[str]) -> int:
    candidates = [Path(argv[1])] if len(argv) > 1 else [ROOT / "build" / "molecule" / "cluster_addons" / "rendered", ROOT / "build" / "local" / "rendered"]
    rendered = next((c for c in candidates if c.is_dir()), None)
    if rendered is None:
        print(f"no rendered releases in {', '.join(map(str, candidates))}: run `make demo` or `make molecule` first", file=sys.stderr)
        return 2
    cached = render.kubernetes_validate.schema_contents
    uncached = cached.__wrapped__
    loader = crd_schemas.yaml_loader()
    totals = [0.0, 0.0]
    print(f"{'release':32} {'docs':>5} {'per document':>13} {'parsed once':>12}")
    try:
        for manifest in sorted(rendered.glob("*/manifests.yaml")):
            docs = [("", d) for d in crd_schemas.yaml.load_all(manifest.read_text(), Loader=loader) if d]
            slow, slow_errors = _validate(docs, uncached)
            cached.cache_clear()
            fast, fast_errors = _validate(docs, cached)
            if fast_errors != slow_errors:
                print(f"{manifest.parent.name}: the findings differ: {fast_errors} != {slow_errors}", file=sys.stderr)
                return 1
            totals[0] += slow
            totals[1] += fast
            print(f"{manifest.parent.name:32} {len(docs):5} {slow:12.2f}s {fast:11.2f}s")
    finally:
        render.kubernetes_validate.schema_contents = cached
    ratio = totals[1] / totals[0] if totals[0] else 0.0
    print(f"{'all releases':32} {'':5} {totals[0]:12.2f}s {totals[1]:11.2f}s  ratio {ratio:.2f} (target <= {TARGET_RATIO:.2f})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
