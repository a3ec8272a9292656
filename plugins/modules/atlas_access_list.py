#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_access_list
short_description: Manage the IP access list of a MongoDB Atlas project
version_added: 0.1.0
description:
  - Adds, updates and removes entries of a project's IP access list through the Atlas Administration API v2
    (access list resource version 2023-01-01).
  - IPv6 addresses and blocks are sent with all eight groups written out (V(2001:db8:0:0:0:0:0:1)), the form the
    Atlas specification's patterns accept; they may be given in any form.
  - Entries are CIDR blocks, single IP addresses or AWS security groups, each with an optional comment and expiry.
  - New and changed entries are sent in one request; Atlas updates the comment and expiry of an entry that exists.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  entries:
    description:
      - Entries to add (O(state=present)) or remove (O(state=absent)).
      - Each entry sets exactly one of O(entries[].cidr_block), O(entries[].ip_address) and O(entries[].aws_security_group).
    type: list
    elements: dict
    default: []
    suboptions:
      cidr_block:
        description: Network in CIDR notation, for example V(10.20.0.0/16). Host bits must be zero.
        type: str
      ip_address:
        description: Single IPv4 or IPv6 address; Atlas stores it as a /32 (or /128) block.
        type: str
      aws_security_group:
        description:
          - AWS security group id, for example V(sg-0123456789abcdef0), optionally prefixed with the id of the AWS
            account that owns it (V(123456789012/sg-0123456789abcdef0)). Needs VPC peering between the
            project and the VPC of the group. Cannot be temporary (no O(entries[].delete_after_date)).
        type: str
      comment:
        description: Comment shown in Atlas (at most 80 characters). Not managed when unset.
        type: str
      delete_after_date:
        description:
          - ISO 8601 date or date-time after which Atlas removes the entry.
          - Must be in the future and at most one week ahead (Atlas keeps temporary entries for up to 7 days).
        type: str
  purge:
    description:
      - With O(state=present), also remove every entry of the project that is not in O(entries).
    type: bool
    default: false
  state:
    description:
      - V(present) makes sure the entries exist; V(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - chatbot.platform.atlas
  - chatbot.platform.atlas.project
attributes:
  check_mode:
    support: full
    description: Reports what would change without calling any write endpoint.
  diff_mode:
    support: full
    description: Shows the entries before and after.
"""

EXAMPLES = r"""
- name: Only the NAT gateways of the VPC may connect
  chatbot.platform.atlas_access_list:
    project_id: "{{ project.project.id }}"
    entries:
      - {ip_address: 203.0.113.10, comment: chatbot-prod NAT eu-west-1a}
      - {ip_address: 203.0.113.11, comment: chatbot-prod NAT eu-west-1b}
    purge: true

- name: Temporary access for a support session
  chatbot.platform.atlas_access_list:
    project_id: "{{ project.project.id }}"
    entries:
      - cidr_block: 198.51.100.0/24
        comment: support session
        delete_after_date: "{{ '%Y-%m-%dT%H:%M:%SZ' | ansible.builtin.strftime(now().timestamp() + 86400, utc=true) }}"

- name: Remove an entry
  chatbot.platform.atlas_access_list:
    project_id: "{{ project.project.id }}"
    entries:
      - cidr_block: 198.51.100.0/24
    state: absent
"""

RETURN = r"""
entries:
  description: The whole access list after the change (snake_case keys).
  returned: always
  type: list
  elements: dict
  contains:
    cidr_block:
      description: CIDR block (single addresses appear as /32).
      type: str
    ip_address:
      description: Single address, when the entry is one.
      type: str
    aws_security_group:
      description: AWS security group id, when the entry is one.
      type: str
    comment:
      description: Comment.
      type: str
    delete_after_date:
      description: Expiry (ISO 8601).
      type: str
added:
  description: Keys (CIDR or security group id) of the entries that were added.
  returned: always
  type: list
  elements: str
  sample: [203.0.113.10/32]
updated:
  description: Keys of existing entries whose comment or expiry changed.
  returned: always
  type: list
  elements: str
removed:
  description: Keys of the entries that were removed.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.access_list import (
    add_entries,
    delete_entry,
    entry_key,
    entry_result,
    list_entries,
    needs_update,
    normalize_entry,
)
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule


def _view(entries_by_key):
    return {key: entry_result(entry) for key, entry in sorted(entries_by_key.items())}


def run(am):
    params = am.params
    desired = {}
    for index, entry in enumerate(params["entries"]):
        try:
            key, body = normalize_entry(entry, index)
        except ValueError as exc:
            am.fail(str(exc))
        if key in desired:
            am.fail(f"entries[{index}] repeats {key}")
        desired[key] = body
    if params["state"] == "absent" and params["purge"]:
        am.fail("purge only applies to state=present")

    project_id = am.project_id()
    current = {entry_key(e): e for e in list_entries(am.client, project_id)}
    added, updated, removed = [], [], []
    to_send = []
    if params["state"] == "present":
        for key, body in desired.items():
            if key not in current:
                added.append(key)
                to_send.append(body)
            elif needs_update(body, current[key]):
                updated.append(key)
                to_send.append(body)
        if params["purge"]:
            removed = sorted(k for k in current if k not in desired)
    else:
        removed = sorted(k for k in desired if k in current)

    changed = bool(added or updated or removed)
    after = dict(current)
    for key in removed:
        after.pop(key, None)
    for body in to_send:
        key = entry_key(body)
        after[key] = dict(current.get(key, {}), **body)
    if changed and not am.check_mode:
        if to_send:
            add_entries(am.client, project_id, to_send)
        for key in removed:
            delete_entry(am.client, project_id, current[key])
        after = {entry_key(e): e for e in list_entries(am.client, project_id)}
    am.exit(
        changed=changed,
        entries=[entry_result(e) for _k, e in sorted(after.items())],
        added=sorted(added),
        updated=sorted(updated),
        removed=removed,
        diff=dict(before=_view(current), after=_view(after)),
    )


def main():
    am = AtlasModule(
        dict(
            entries=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    cidr_block=dict(type="str"),
                    ip_address=dict(type="str"),
                    aws_security_group=dict(type="str"),
                    comment=dict(type="str"),
                    delete_after_date=dict(type="str"),
                ),
                mutually_exclusive=[["cidr_block", "ip_address", "aws_security_group"]],
                required_one_of=[["cidr_block", "ip_address", "aws_security_group"]],
            ),
            purge=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        with_project=True,
    )
    am.run(run)


if __name__ == "__main__":
    main()
