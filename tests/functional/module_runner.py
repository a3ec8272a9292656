"""Run chatbot.platform modules and playbooks the ways the functional tests need; every module suite uses this.

``run_in_process`` calls the module's main() with the arguments ansible would send (fast, and
in-process hooks such as botocore event handlers see every call); ``run_cli`` runs it through the
`ansible` command, so the AnsiballZ packaging and the collection's action groups are exercised too;
``run_playbook`` runs a playbook with the same environment (``playbook_failures`` reads its report); the
pipeline dry run (scripts/ci_dry_run.py) uses it too, so the tests and `make ci-dry-run` run playbooks one way. ``ModuleRunner`` binds one suite's
connection (arguments for in-process runs, environment for CLI runs) to the two module runners: a
suite's conftest builds one (or a subclass adding its own checks) and hands it to the tests as a fixture.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = ROOT / "build" / "collections"
VENV_BIN = ROOT / ".venv" / "bin"
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))

from ansible.module_utils.testing import patch_module_args  # noqa: E402 - after the sys.path set-up above


def run_in_process(module: str, args: dict, check: bool = False, diff: bool = False) -> dict:
    """Run chatbot.platform.<module>'s main() in this process; return the result dict ansible would get."""
    full = dict(args, _ansible_check_mode=check, _ansible_diff=diff)
    mod = importlib.import_module("ansible_collections.chatbot.platform.plugins.modules." + module)
    out = io.StringIO()
    with patch_module_args(full), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        mod.main()
    text = out.getvalue()
    return json.loads(text[text.index("{") :])


def ansible_env(env: dict | None = None, drop_env_prefix: str | None = None) -> dict:
    """The environment for an `ansible`/`ansible-playbook` subprocess: this checkout's collection and config, JSON output.

    ``drop_env_prefix`` removes inherited variables with that prefix before ``env`` is applied, so a test
    decides exactly which credentials the module sees.
    """
    run_env = {k: v for k, v in os.environ.items() if not (drop_env_prefix and k.startswith(drop_env_prefix))}
    run_env.update(
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
        ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_NOCOLOR="1",
    )
    run_env.update(env or {})
    return run_env


def _json_run(cmd: list, env: dict, timeout: int):
    proc = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=timeout, check=False)
    try:
        return json.loads(proc.stdout[proc.stdout.index("{") :]), proc
    except ValueError:
        raise AssertionError(f"{Path(cmd[0]).name} did not print JSON:\nstdout={proc.stdout}\nstderr={proc.stderr}") from None


def run_cli(module: str, args: dict, check: bool = False, diff: bool = False, env: dict | None = None, drop_env_prefix: str | None = None):
    """Run chatbot.platform.<module> through `ansible` (a real subprocess); return (result, completed process)."""
    cmd = [str(VENV_BIN / "ansible"), "localhost", "-i", "localhost,", "-c", "local"]
    cmd += ["-m", "chatbot.platform." + module, "-a", json.dumps(args)]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
    data, proc = _json_run(cmd, ansible_env(env, drop_env_prefix), timeout=120)
    try:
        return data["plays"][0]["tasks"][0]["hosts"]["localhost"], proc
    except (KeyError, IndexError):
        raise AssertionError(f"ansible printed no task result:\nstdout={proc.stdout}\nstderr={proc.stderr}") from None


def run_playbook(playbook: str, *extra: str, inventory: str = "local", env: dict | None = None):
    """Run playbooks/<playbook> with inventories/<inventory> through `ansible-playbook`; return (JSON report, completed process)."""
    cmd = [str(VENV_BIN / "ansible-playbook"), "-i", str(ROOT / "inventories" / inventory), str(ROOT / "playbooks" / playbook), *extra]
    return _json_run(cmd, ansible_env(env), timeout=300)


def playbook_failures(report: dict) -> list[str]:
    """The messages of every failed task (and failed loop item) of a JSON playbook report, any host."""
    messages = []
    for play in report["plays"]:
        for task in play["tasks"]:
            for result in task["hosts"].values():
                if result.get("failed"):
                    messages.extend(item.get("msg", "") for item in result.get("results", []) if item.get("failed"))
                    messages.append(result.get("msg", ""))
    return [message for message in messages if message]


class ModuleRunner:
    """One suite's connection bound to the two module runners.

    ``args`` are merged into every in-process run (endpoint, credentials); ``cli_args`` into every CLI run
    (default: the same), ``cli_env`` into its environment; ``drop_env_prefix`` as for run_cli. A call with
    connection=False passes only the test's own arguments (and, for the CLI, environment).
    Subclasses override ``in_process()`` to wrap each in-process run (a call recorder, say).
    """

    def __init__(self, args: dict | None = None, cli_args: dict | None = None, cli_env: dict | None = None, drop_env_prefix: str | None = None):
        self.args = dict(args or {})
        self.cli_args = self.args if cli_args is None else dict(cli_args)
        self.cli_env = dict(cli_env or {})
        self.drop_env_prefix = drop_env_prefix

    def in_process(self):
        return contextlib.nullcontext()

    def run(self, module: str, args: dict, check: bool = False, diff: bool = False, connection: bool = True) -> dict:
        """Run a module's main() in-process; return the result dict ansible would get."""
        with self.in_process():
            return run_in_process(module, {**(self.args if connection else {}), **args}, check=check, diff=diff)

    def run_cli(self, module: str, args: dict, check: bool = False, diff: bool = False, env: dict | None = None, connection: bool = True):
        """Run the module through `ansible` (AnsiballZ, real subprocess); return (result, completed process)."""
        full = {**(self.cli_args if connection else {}), **args}
        run_env = {**(self.cli_env if connection else {}), **(env or {})}
        return run_cli(module, full, check=check, diff=diff, env=run_env, drop_env_prefix=self.drop_env_prefix)
