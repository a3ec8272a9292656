"""scripts/validate_crds.py rejects what an API server with strict validation would."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("validate_crds", ROOT / "scripts" / "validate_crds.py")
validate_crds = importlib.util.module_from_spec(spec)
spec.loader.exec_module(validate_crds)

CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.io}
spec:
  group: example.io
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer}
                port: {x-kubernetes-int-or-string: true}
                note: {type: string, nullable: true}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""


@pytest.fixture
def schemas(tmp_path):
    folder = tmp_path / "crds"
    folder.mkdir()
    (folder / "widget.yaml").write_text(CRD)
    return folder


def check(tmp_path, schemas, body):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(body)
    return validate_crds.main(["--schemas", str(schemas), str(manifest)])


def test_valid_resource(tmp_path, schemas, capsys):
    body = "apiVersion: example.io/v1\nkind: Widget\nmetadata: {name: a}\nspec: {size: 1, port: http, note: null, extra: {any: 1}}\n"
    assert check(tmp_path, schemas, body) == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{size: one}", "'one' is not of type 'integer'"),
        ("{}", "'size' is a required property"),
        ("{size: 1, colour: red}", "'colour' was unexpected"),
        ("{size: 1, port: [1]}", "is not valid under any of the given schemas"),
    ],
)
def test_invalid_resources(tmp_path, schemas, capsys, spec, message):
    body = f"apiVersion: example.io/v1\nkind: Widget\nmetadata: {{name: a}}\nspec: {spec}\n"
    assert check(tmp_path, schemas, body) == 1
    assert message in capsys.readouterr().out


def test_unknown_custom_resource_fails(tmp_path, schemas, capsys):
    assert check(tmp_path, schemas, "apiVersion: other.io/v1\nkind: Gadget\nmetadata: {name: a}\n") == 1
    assert "no CRD schema for other.io/v1 Gadget" in capsys.readouterr().out


def test_core_kinds_are_left_to_kubernetes_validate(tmp_path, schemas):
    assert check(tmp_path, schemas, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: b}\n") == 0


def test_missing_schema_folder_is_loud(tmp_path, capsys):
    manifest = tmp_path / "m.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    assert validate_crds.main(["--schemas", str(tmp_path / "absent"), str(manifest)]) == 1
    assert "were NOT validated" in capsys.readouterr().out
    assert validate_crds.main(["--schemas", str(tmp_path / "absent"), "--allow-missing-schemas", str(manifest)]) == 0
