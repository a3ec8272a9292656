# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Polling helpers: poll on a schedule that fits the operation until a condition holds.

A schedule is (probes, first, factor, maximum): early polls at the ``probes`` seconds after the request, the
next at ``first`` seconds, then each interval ``factor`` times the last, at most ``maximum``. Which schedule
fits is known before polling:

* ``create``: Atlas provisions a dedicated cluster in minutes, never seconds. Two cheap probes (2 s and 10 s,
  which catch a create that was already done or an emulator) and then polls from two minutes on, every 30 s:
  fewer calls than a fixed 30 s poller from the start, and never more than 30 s late.
* ``update`` (hardware, version, pause): the first poll after 5 s, growing to every 15 s, so a change that
  finishes within two minutes is seen at most 15 s late.
* ``update_settings`` (tags, flags): Atlas applies these without a rolling change; 1 s, growing to 15 s.
* ``delete``: 30 s, then every 30 s.
* ``default``: 1 s, growing by half to 30 s (private endpoints and anything not listed).

A ``Retry-After`` the API sent while polling (429 or 503) lengthens the next interval to at least that long.
"""

from __future__ import annotations

import time

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasWaitTimeout

DEFAULT_INITIAL_INTERVAL = 1.0
DEFAULT_MAX_INTERVAL = 30.0
DEFAULT_FACTOR = 1.5
SCHEDULES = {
    "create": ((2.0, 10.0), 120.0, 1.0, 30.0),
    "update": ((), 5.0, 1.5, 15.0),
    "update_settings": ((), 1.0, 1.5, 15.0),
    "delete": ((), 30.0, 1.0, 30.0),
    "default": ((), DEFAULT_INITIAL_INTERVAL, DEFAULT_FACTOR, DEFAULT_MAX_INTERVAL),
}


def poll_intervals(initial=DEFAULT_INITIAL_INTERVAL, factor=DEFAULT_FACTOR, maximum=DEFAULT_MAX_INTERVAL):
    """Yield poll intervals: initial, initial*factor, ... capped at maximum."""
    interval = initial
    while True:
        yield min(interval, maximum)
        interval = min(interval * factor, maximum)


def schedule_waits(name, initial=None, maximum=None):
    """Yield the waits (seconds) before each poll of a schedule; after the first, they follow poll_intervals."""
    probes, first, factor, ceiling = SCHEDULES[name]
    if name == "default":
        first = DEFAULT_INITIAL_INTERVAL if initial is None else initial
        ceiling = DEFAULT_MAX_INTERVAL if maximum is None else maximum
    elapsed = 0.0
    for probe in probes:
        yield probe - elapsed
        elapsed = probe
    yield first - elapsed
    yield from poll_intervals(initial=min(first * factor, ceiling), factor=factor, maximum=ceiling)


def wait_for(fetch, done, timeout, description, failed=None, sleep=None, clock=None, initial=None, maximum=None, schedule=None, hint=None, first_poll_now=True):
    """Call ``fetch()`` until ``done(result)`` is true; return the last result.

    ``failed(result)`` may return a message to stop early. Raises AtlasWaitTimeout after ``timeout`` seconds
    with the last observed state in the message. ``schedule`` names one of SCHEDULES; ``hint()`` may return a
    Retry-After the API sent (seconds) to wait at least that long next. With ``first_poll_now=False`` the first
    poll waits for the schedule's first interval (the caller has just read the state from the write's answer).
    """
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    deadline = clock() + timeout
    intervals = schedule_waits(schedule or "default", initial=initial, maximum=maximum)
    if not first_poll_now:
        sleep(min(next(intervals), max(deadline - clock(), 0.05)))
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
        interval = next(intervals)
        retry_after = hint() if hint is not None else None
        if retry_after:
            interval = max(interval, retry_after)
        sleep(min(interval, max(remaining, 0.05)))


def _state_of(result):
    if result is None:
        return "absent"
    if isinstance(result, dict):
        for key in ("stateName", "status", "connectionStatus"):
            if key in result:
                return result[key]
    return "unknown"
