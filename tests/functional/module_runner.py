"""Run a chatbot.platform module the two ways the functional tests need.

``run_in_process`` calls the module's main() with the arguments ansible would send (fast, and
in-process hooks such as botocore event handlers see every call); ``run_cli`` runs it through the
`ansible` command, so the AnsiballZ packaging and the collection's action groups are exercised too.
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


def run_cli(module: str, args: dict, check: bool = False, diff: bool = False, env: dict | None = None, drop_env_prefix: str | None = None):
    """Run chatbot.platform.<module> through `ansible` (a real subprocess); return (result, completed process).

    ``drop_env_prefix`` removes inherited variables with that prefix before ``env`` is applied, so a test
    decides exactly which credentials the module sees.
    """
    cmd = [str(ROOT / ".venv" / "bin" / "ansible"), "localhost", "-i", "localhost,", "-c", "local"]
    cmd += ["-m", "chatbot.platform." + module, "-a", json.dumps(args)]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
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
    proc = subprocess.run(cmd, cwd=str(ROOT), env=run_env, capture_output=True, text=True, timeout=120, check=False)
    try:
        data = json.loads(proc.stdout[proc.stdout.index("{") :])
        result = data["plays"][0]["tasks"][0]["hosts"]["localhost"]
    except (ValueError, KeyError, IndexError):
        raise AssertionError(f"ansible did not print a JSON result:\nstdout={proc.stdout}\nstderr={proc.stderr}") from None
    return result, proc
