"""What the platform is, read the way the Terraform and Atlas steps read it, for the chart tests.

- Inventory variables come from inventories/<env> through Ansible's own inventory loader and templating,
  with the Atlas role's defaults under them (the precedence the Atlas step sees).
- Subnet CIDRs come from the inventory's VPC CIDR and the network module's address plan
  (terraform/modules/network/main.tf), the expressions Terraform evaluates.
- Node capacity comes from the inventory's node groups, the DaemonSet budget and
  tests/charts/data/ec2-node-capacity.yaml (docs/chatbot-chart.md#node-capacity).
"""

from __future__ import annotations

import functools
import ipaddress
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
NETWORK_MODULE = ROOT / "terraform" / "modules" / "network"
CAPACITY_TABLE = Path(__file__).parent / "data" / "ec2-node-capacity.yaml"
ATLAS_ROLE_DEFAULTS = ROOT / "roles" / "atlas" / "defaults" / "main.yml"


@functools.cache
def _ansible():
    os.environ.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader()
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar, trust_as_template
    from ansible.vars.manager import VariableManager

    return DataLoader, InventoryManager, VariableManager, Templar, trust_as_template


class Inventory:
    """Resolved variables of inventories/<env> (role defaults of the Atlas step underneath)."""

    def __init__(self, env: str):
        data_loader, inventory_manager, variable_manager, templar, trust = _ansible()
        loader = data_loader()
        inventory = inventory_manager(loader=loader, sources=[str(ROOT / "inventories" / env)])
        (host,) = inventory.get_hosts()
        host_vars = variable_manager(loader=loader, inventory=inventory).get_vars(host=host)
        defaults = {k: trust(v) if isinstance(v, str) else v for k, v in loader.load_from_file(str(ATLAS_ROLE_DEFAULTS)).items()}
        self.env = env
        self.raw = {**defaults, **host_vars}
        self._templar = templar(loader=loader, variables=self.raw)

    def __getitem__(self, name: str):
        return self._templar.template(self.raw[name])

    def get(self, name: str, default=None):
        return self[name] if name in self.raw else default


@functools.cache
def inventory(env: str) -> Inventory:
    return Inventory(env)


def _address_plan() -> dict[str, tuple[int, int]]:
    """tier -> (newbits, first netnum) of `<tier>_cidrs = { for az, i in local.az_index : az => cidrsubnet(var.vpc_cidr, N, M + i) }`."""
    text = (NETWORK_MODULE / "main.tf").read_text()
    plan = {}
    for tier, newbits, offset in re.findall(
        r"(\w+)_cidrs\s*=\s*\{\s*for az, i in local\.az_index : az => cidrsubnet\(var\.vpc_cidr, (\d+), (?:(\d+) \+ )?i\)\s*\}", text
    ):
        plan[tier] = (int(newbits), int(offset or 0))
    if not {"public", "private"} <= set(plan):
        raise AssertionError(f"the address plan in {NETWORK_MODULE / 'main.tf'} changed shape; teach tests/charts/platform_facts.py to read it")
    return plan


def _zone_count() -> int:
    text = (NETWORK_MODULE / "variables.tf").read_text()
    (count,) = set(re.findall(r"length\(var\.availability_zones\) == (\d+)", text))
    return int(count)


def subnet_cidrs(vpc_cidr: str, tier: str) -> list[str]:
    """The CIDRs Terraform gives the subnets of a tier (cidrsubnet(vpc_cidr, newbits, offset + zone index))."""
    newbits, offset = _address_plan()[tier]
    vpc = ipaddress.ip_network(vpc_cidr)
    prefix = vpc.prefixlen + newbits
    size = 2 ** (vpc.max_prefixlen - prefix)
    return [str(ipaddress.ip_network((int(vpc.network_address) + (offset + i) * size, prefix))) for i in range(_zone_count())]


def quantity(value, unit: str) -> float:
    """A Kubernetes quantity in millicores (unit "m") or MiB (unit "Mi")."""
    text = str(value)
    if unit == "m":
        return float(text[:-1]) if text.endswith("m") else float(text) * 1000
    factors = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, "Ti": 1024**2, "k": 1000 / 1024**2, "M": 1000**2 / 1024**2, "G": 1000**3 / 1024**2}
    for suffix, factor in factors.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text) / 1024**2


@dataclass(frozen=True)
class NodeShape:
    """What one node of an instance type offers pods once the kubelet's reservations and the DaemonSets are taken."""

    instance_type: str
    cpu_m: int
    memory_mib: int
    pods: int
    explanation: str


def node_shape(instance_type: str, daemonsets: dict) -> NodeShape:
    table = yaml.safe_load(CAPACITY_TABLE.read_text())
    types, res = table["instance_types"], table["reservation"]
    if instance_type not in types:
        raise AssertionError(f"{instance_type} is not in {CAPACITY_TABLE.relative_to(ROOT)}: add its vCPUs, memory, ENIs and IPv4 addresses per ENI")
    t = types[instance_type]
    max_pods = t["enis"] * (t["ipv4_per_eni"] - 1) + 2
    total_m = t["vcpu"] * 1000
    reserved_m, start = 0.0, 0
    for end, percent in res["kube_reserved_cpu_slices"]:
        end = total_m if end is None else min(end, total_m)
        if end > start:
            reserved_m += (end - start) * percent / 100
        start = max(start, end)
    visible_mib = math.floor(t["memory_mib"] * (1 - res["vm_memory_overhead_percent"] / 100))
    kube_reserved_mib = res["kube_reserved_memory_mib_per_pod"] * max_pods + res["kube_reserved_memory_mib_base"]
    ds_m, ds_mib, ds_pods = quantity(daemonsets["cpu"], "m"), quantity(daemonsets["memory"], "Mi"), int(daemonsets["pods"])
    cpu = int(total_m - reserved_m - ds_m)
    memory = int(visible_mib - kube_reserved_mib - res["eviction_hard_memory_mib"] - ds_mib)
    explanation = (
        f"{instance_type}: cpu {total_m}m - {reserved_m:g}m kube-reserved - {ds_m:g}m DaemonSets = {cpu}m; "
        f"memory {t['memory_mib']}Mi - {res['vm_memory_overhead_percent']}% = {visible_mib}Mi - {kube_reserved_mib}Mi kube-reserved "
        f"(11 x {max_pods} pods + 255) - {res['eviction_hard_memory_mib']}Mi eviction - {ds_mib:g}Mi DaemonSets = {memory}Mi; "
        f"pods {max_pods} - {ds_pods} DaemonSets = {max_pods - ds_pods}"
    )
    return NodeShape(instance_type, cpu, memory, max_pods - ds_pods, explanation)


def pods_per_node(shape: NodeShape, cpu_m: float, memory_mib: float) -> int:
    return min(int(shape.cpu_m // cpu_m), int(shape.memory_mib // memory_mib), shape.pods)
