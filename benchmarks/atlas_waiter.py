"""How the cluster waiter polls: GET calls and overshoot per case, next to a fixed 30 s poller.

    .venv/bin/python benchmarks/atlas_waiter.py

Starts the Atlas emulator in this process on a free loopback port with a virtual clock (waiting costs no real
time), then for each case lets Atlas take a given time and measures two pollers against the same emulator:

* the collection's waiter (plugins/module_utils/_atlas/clusters.py wait_for_idle / wait_for_deleted with the
  schedule the module picks for the operation);
* a fixed poller that sleeps 30 s before every GET, as the Atlas Terraform provider does.

For each it prints the GET calls made while waiting and the overshoot (how long after Atlas finished the
waiter noticed). Targets, checked at the end (exit 1 when one is missed):

* creates of 5, 10, 20 and 30 minutes: no more calls than the fixed poller, overshoot <= 30 s;
* updates that finish within 2 minutes: overshoot <= 15 s.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build" / "collections"))

from ansible_collections.chatbot.platform.plugins.module_utils._atlas import clusters  # noqa: E402
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasClient  # noqa: E402

_spec = importlib.util.spec_from_file_location("atlas_emulator", ROOT / "tests" / "emulators" / "atlas" / "server.py")
atlas_emulator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(atlas_emulator)

FIXED_INTERVAL = 30.0
CREATE_TARGET_OVERSHOOT = 30.0
UPDATE_TARGET_OVERSHOOT = 15.0
BODY = {
    "name": "bench",
    "clusterType": "REPLICASET",
    "replicationSpecs": [{"regionConfigs": [{"providerName": "AWS", "regionName": "EU_WEST_1", "priority": 7, "electableSpecs": {"instanceSize": "M10"}}]}],
}
# (label, operation, seconds Atlas takes)
CASES = [
    *(("create", "create", minutes * 60.0) for minutes in (5, 10, 20, 30)),
    *(("update", "update", seconds) for seconds in (20.0, 45.0, 90.0, 120.0)),
    ("update_settings", "update_settings", 3.0),
    ("delete", "delete", 240.0),
]


class Bench:
    def __init__(self):
        self.emulator = atlas_emulator.AtlasEmulator(provisioning_delay=1.0).start()
        self.clock = self.emulator.clock
        self.client = AtlasClient(
            base_url=self.emulator.base_url,
            client_id=atlas_emulator.DEFAULT_CLIENT_ID,
            client_secret=atlas_emulator.DEFAULT_CLIENT_SECRET,
            sleep=self.clock.sleep,
            clock=self.clock.monotonic,
            token_cache={},
        )
        org = atlas_emulator.DEFAULT_ORG_ID
        self.project = self.client.call("createGroup", {"name": "bench", "orgId": org})["id"]

    def gets(self):
        path = f"/api/atlas/v2/groups/{self.project}/clusters/bench"
        return sum(1 for r in self.emulator.request_log() if r["method"] == "GET" and r["path"] == path)

    def start(self, operation, duration):
        """Start the operation so that Atlas finishes it ``duration`` seconds from now; return that moment."""
        self.emulator.configure(provisioning_delay=duration)
        if operation == "create":
            self.client.call("createGroupCluster", BODY, groupId=self.project)
        elif operation == "delete":
            self.client.call("deleteGroupCluster", groupId=self.project, clusterName="bench")
        else:
            patch = {"tags": [{"key": "run", "value": str(self.clock.monotonic())}]} if operation == "update_settings" else {"paused": True}
            if operation == "update_settings":
                self.client.call("updateGroupCluster", patch, groupId=self.project, clusterName="bench")
                self.emulator.set_cluster_state(self.project, "bench", "UPDATING", duration)
            else:
                paused = self.emulator.snapshot()["clusters"][0]["paused"]
                self.client.call("updateGroupCluster", {"paused": not paused}, groupId=self.project, clusterName="bench")
        self.emulator.clear_requests()
        return self.clock.monotonic() + duration

    def reset(self):
        """Back to an IDLE cluster (or none before a create) between measurements."""
        self.emulator.configure(provisioning_delay=1.0)
        self.clock.sleep(3600)
        self.emulator.snapshot()

    def ours(self, operation, duration):
        self.prepare(operation)
        ready = self.start(operation, duration)
        if operation == "delete":
            clusters.wait_for_deleted(self.client, self.project, "bench", 7200, sleep=self.clock.sleep, clock=self.clock.monotonic)
        else:
            kind = "create" if operation == "create" else clusters.wait_kind({"tags": []} if operation == "update_settings" else {"paused": True})
            clusters.wait_for_idle(self.client, self.project, "bench", 7200, sleep=self.clock.sleep, clock=self.clock.monotonic, kind=kind)
        return self.gets(), self.clock.monotonic() - ready

    def fixed(self, operation, duration):
        self.prepare(operation)
        ready = self.start(operation, duration)
        while True:
            self.clock.sleep(FIXED_INTERVAL)
            cluster = clusters.get_cluster(self.client, self.project, "bench")
            if (operation == "delete" and cluster is None) or (operation != "delete" and cluster and cluster["stateName"] == "IDLE"):
                return self.gets(), self.clock.monotonic() - ready

    def prepare(self, operation):
        self.reset()
        exists = bool(self.emulator.snapshot()["clusters"])
        if operation == "create" and exists:
            self.client.call("deleteGroupCluster", groupId=self.project, clusterName="bench")
            self.reset()
        if operation != "create" and not exists:
            self.client.call("createGroupCluster", BODY, groupId=self.project)
            self.reset()


def main():
    bench = Bench()
    missed = []
    print(f"{'case':<16} {'Atlas takes':>11} | {'waiter GETs':>11} {'overshoot':>9} | {'fixed 30 s GETs':>15} {'overshoot':>9}")
    try:
        for label, operation, duration in CASES:
            ours_calls, ours_late = bench.ours(operation, duration)
            fixed_calls, fixed_late = bench.fixed(operation, duration)
            print(f"{label:<16} {duration:>10.0f}s | {ours_calls:>11} {ours_late:>8.1f}s | {fixed_calls:>15} {fixed_late:>8.1f}s")
            if operation == "create":
                if ours_calls > fixed_calls:
                    missed.append(f"{label} {duration:.0f}s: {ours_calls} calls, the fixed poller needs {fixed_calls}")
                if ours_late > CREATE_TARGET_OVERSHOOT:
                    missed.append(f"{label} {duration:.0f}s: overshoot {ours_late:.1f}s > {CREATE_TARGET_OVERSHOOT:.0f}s")
            if operation.startswith("update") and duration <= 120 and ours_late > UPDATE_TARGET_OVERSHOOT:
                missed.append(f"{label} {duration:.0f}s: overshoot {ours_late:.1f}s > {UPDATE_TARGET_OVERSHOOT:.0f}s")
    finally:
        bench.emulator.stop()
    if missed:
        print("targets missed:\n  " + "\n  ".join(missed))
        return 1
    print("targets met: creates with no more calls than the fixed 30 s poller and <= 30 s late; updates within 2 min <= 15 s late")
    return 0


if __name__ == "__main__":
    sys.exit(main())
