# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The evaluator against upstream's generated Pod Security fixtures (k8s.io/pod-security-admission test/testdata).

The fixtures are read from a git clone of the upstream repository ($PSA_UPSTREAM_REPO, default
/work/.mirror/kubernetes+pod-security-admission/repo) and never copied into the project; without the clone
these tests skip. The comparison itself lives in scripts/check_pod_security_upstream.py, which prints it as a table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from ansible_collections.chatbot.platform.plugins.module_utils._k8s import pod_security

SCRIPT = Path(__file__).resolve().parents[5] / "scripts" / "check_pod_security_upstream.py"
SUPPORTED_MINORS = range(25, 38)


def _load_script():
    spec = importlib.util.spec_from_file_location("check_pod_security_upstream", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _upstream():
    """(fixtures, comparison rows, error), worked out once when the module is imported: ansible-test units runs
    each test in a forked process, so a session fixture would read the clone again for every test."""
    if not Path(REPO).exists():
        return None, None, None
    try:
        fixtures = oracle.load_fixtures(REPO)[1]
    except oracle.UpstreamError as exc:
        return None, None, str(exc)
    rows = {(version, level): (checked, wrong) for version, level, checked, wrong in oracle.compare(pod_security, fixtures)}
    return fixtures, rows, None


oracle = _load_script()
REPO = oracle.upstream_repo()
FIXTURES, ROWS, ERROR = _upstream()
needs_upstream = pytest.mark.skipif(not Path(REPO).exists(), reason=f"no clone of kubernetes/pod-security-admission at {REPO} (set PSA_UPSTREAM_REPO to one)")


@pytest.fixture
def fixtures():
    if ERROR:
        pytest.fail(ERROR)
    return FIXTURES


@pytest.fixture
def rows():
    if ERROR:
        pytest.fail(ERROR)
    return ROWS


@needs_upstream
def test_upstream_has_fixtures_for_every_supported_version(fixtures):
    for minor in SUPPORTED_MINORS:
        for level in ("baseline", "restricted"):
            cases = fixtures.get((level, minor), [])
            assert {expect for expect, _name, _pod in cases} == {"pass", "fail"}, (level, minor)
    # The newest upstream version must be one this evaluator knows, or its newest rules are missing here.
    assert max(minor for _level, minor in fixtures) <= int(pod_security.NEWEST_VERSION.split(".")[1])


@needs_upstream
@pytest.mark.parametrize("level", ["baseline", "restricted"])
@pytest.mark.parametrize("version", [f"1.{minor}" for minor in SUPPORTED_MINORS] + ["latest"])
def test_every_upstream_fixture_agrees(rows, version, level):
    checked, wrong = rows[(version, level)]
    assert checked > 0
    assert wrong == []


@needs_upstream
def test_older_versions_and_workload_templates_agree_too(rows):
    others = {key: value for key, value in rows.items() if key[0] not in [f"1.{minor}" for minor in SUPPORTED_MINORS] + ["latest"]}
    assert any(version.endswith("workloads") for version, _level in others)
    assert {key: wrong for key, (_checked, wrong) in others.items() if wrong} == {}


class _Skewed:
    """The real evaluator with evaluate_pod replaced, to prove the comparison notices a wrong answer."""

    def __init__(self, evaluate_pod):
        self.evaluate_pod = evaluate_pod

    def __getattr__(self, name):
        return getattr(pod_security, name)


@needs_upstream
def test_the_comparison_notices_an_evaluator_that_allows_refuses_or_blames_the_wrong_check(fixtures):
    newest = {key: value for key, value in fixtures.items() if key[1] == max(minor for _level, minor in fixtures)}

    def disagreements(evaluate_pod):
        rows = oracle.compare(_Skewed(evaluate_pod), newest, min_minor=99)
        return [reason for version, _level, _checked, wrong in rows if version == "latest" for _fixture, reason in wrong]

    allowing = disagreements(lambda *args: [])
    assert allowing
    assert set(allowing) == {"allowed"}
    refusing = disagreements(lambda *args: [pod_security.Violation("privileged", "r", "d")])
    assert any(reason.startswith("refused by privileged") for reason in refusing)
    assert any(reason.endswith("not by runAsNonRoot") for reason in refusing)


def test_the_script_reports_a_missing_clone(tmp_path, capsys):
    assert oracle.main(["--repo", str(tmp_path / "absent")]) == 2
    assert "no upstream repository at" in capsys.readouterr().err
