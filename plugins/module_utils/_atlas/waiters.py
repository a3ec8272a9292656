# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Polling helpers: start with a short interval and back off towards a ceiling until a condition holds."""

from __future__ import annotations

import time

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasWaitTimeout

DEFAULT_INITIAL_INTERVAL = 1.0
DEFAULT_MAX_INTERVAL = 30.0
DEFAULT_FACTOR = 1.5


def poll_intervals(initial=DEFAULT_INITIAL_INTERVAL, factor=DEFAULT_FACTOR, maximum=DEFAULT_MAX_INTERVAL):
    """Yield poll intervals: initial, initial*factor, ... capped at maximum."""
    interval = initial
    while True:
        yield min(interval, maximum)
        interval = min(interval * factor, maximum)


def wait_for(fetch, done, timeout, description, failed=None, sleep=None, clock=None, initial=None, maximum=None):
    """Call ``fetch()`` until ``done(result)`` is true; return the last result.

    ``failed(result)`` may return a message to stop early. Raises AtlasWaitTimeout after ``timeout`` seconds
    with the last observed state in the message.
    """
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    deadline = clock() + timeout
    intervals = poll_intervals(
        initial=DEFAULT_INITIAL_INTERVAL if initial is None else initial,
        maximum=DEFAULT_MAX_INTERVAL if maximum is None else maximum,
    )
    while True:
        result = fetch()
        if done(result):
            return result
        if failed is not None:
            message = failed(result)
            if message:
                raise AtlasWaitTimeout(f"{description} failed: {message}")
        remaining = deadline - clock()
        if remaining <= 0:
            raise AtlasWaitTimeout(
                f"timed out after {int(timeout)}s waiting for {description} (last state: {_state_of(result)})",
                last_state=_state_of(result),
            )
        sleep(min(next(intervals), max(remaining, 0.05)))


def _state_of(result):
    if result is None:
        return "absent"
    if isinstance(result, dict):
        for key in ("stateName", "status", "connectionStatus"):
            if key in result:
                return result[key]
    return "unknown"
