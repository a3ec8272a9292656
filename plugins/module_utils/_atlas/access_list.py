# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas project IP access list: CIDR blocks, single addresses and AWS security groups."""

from __future__ import annotations

import datetime
import ipaddress
import re

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasApiError
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import strip_links, to_snake
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.spec_facts import ACCESS_LIST_COMMENT_MAX_LENGTH

# An AWS security group id, optionally prefixed with the id of the AWS account that owns it ("123456789012/sg-...").
SECURITY_GROUP_PATTERN = re.compile(r"^([0-9]{12}/)?sg-[0-9a-f]{8,17}$")
ENTRY_NOT_FOUND_CODES = ("ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND",)
# The specification: deleteAfterDate "must be later than the current date but no later than one week after you
# submit this request".
MAX_TEMPORARY = datetime.timedelta(days=7)


def list_entries(client, project_id):
    return client.call_all("listGroupAccessListEntries", groupId=project_id)


def api_address(address):
    """An address in the form the specification's patterns accept: IPv6 with all eight groups, no '::'."""
    if address.version == 6:
        return ":".join(f"{int(group, 16):x}" for group in address.exploded.split(":"))
    return str(address)


def api_network(network):
    return f"{api_address(network.network_address)}/{network.prefixlen}"


def parse_date(value):
    """ISO 8601 date or date-time to an aware UTC datetime (None for None)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) == 10:
        text += "T00:00:00+00:00"
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def normalize_entry(entry, index, now=None):
    """Validate one entries[] item; return (key, API body). Raise ValueError with a readable message."""
    where = f"entries[{index}]"
    given = [k for k in ("cidr_block", "ip_address", "aws_security_group") if entry.get(k)]
    if len(given) != 1:
        raise ValueError(f"{where} must set exactly one of cidr_block, ip_address or aws_security_group")
    body = {}
    if entry.get("cidr_block"):
        value = entry["cidr_block"].strip()
        if "/" not in value:
            raise ValueError(f"{where}.cidr_block {value!r} is not in CIDR notation (for example 10.0.0.0/16)")
        try:
            network = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            raise ValueError(f"{where}.cidr_block {value!r} is not a valid CIDR block: {exc}") from None
        key = str(network)
        body["cidrBlock"] = api_network(network)
    elif entry.get("ip_address"):
        value = entry["ip_address"].strip()
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            raise ValueError(f"{where}.ip_address {value!r} is not a valid IP address") from None
        key = f"{address}/{address.max_prefixlen}"
        body["ipAddress"] = api_address(address)
    else:
        value = entry["aws_security_group"].strip()
        if not SECURITY_GROUP_PATTERN.match(value):
            raise ValueError(
                f"{where}.aws_security_group {value!r} is not a security group id such as sg-0123456789abcdef0 "
                "(optionally prefixed with the owning account: 123456789012/sg-0123456789abcdef0)"
            )
        if entry.get("delete_after_date"):
            raise ValueError(f"{where}: Atlas does not accept delete_after_date on a security group entry")
        key = value
        body["awsSecurityGroup"] = value
    if entry.get("comment") is not None:
        if len(entry["comment"]) > ACCESS_LIST_COMMENT_MAX_LENGTH:
            raise ValueError(f"{where}.comment is longer than the {ACCESS_LIST_COMMENT_MAX_LENGTH} characters Atlas accepts")
        body["comment"] = entry["comment"]
    if entry.get("delete_after_date"):
        try:
            when = parse_date(entry["delete_after_date"])
        except ValueError:
            raise ValueError("{}.delete_after_date {!r} is not an ISO 8601 date".format(where, entry["delete_after_date"])) from None
        now = now or datetime.datetime.now(datetime.timezone.utc)
        if not now < when <= now + MAX_TEMPORARY:
            raise ValueError(
                "{}.delete_after_date {!r} must be in the future and at most one week ahead (Atlas keeps temporary entries for up to 7 days)".format(
                    where, entry["delete_after_date"]
                )
            )
        body["deleteAfterDate"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return key, body


def entry_key(entry):
    """Identity of an entry as Atlas returns it: security group id, or the CIDR (a single IP is /32 or /128)."""
    if entry.get("awsSecurityGroup"):
        return entry["awsSecurityGroup"]
    if entry.get("cidrBlock"):
        return str(ipaddress.ip_network(entry["cidrBlock"], strict=False))
    address = ipaddress.ip_address(entry["ipAddress"])
    return f"{address}/{address.max_prefixlen}"


def entry_path_value(entry):
    """The value used in the entry's URL: the address for single IPs, otherwise the CIDR or group id.

    IPv6 values are written out in full (eight groups), the form the specification's entryValue pattern takes.
    """
    if entry.get("awsSecurityGroup"):
        return entry["awsSecurityGroup"]
    if entry.get("ipAddress"):
        return api_address(ipaddress.ip_address(entry["ipAddress"]))
    network = ipaddress.ip_network(entry["cidrBlock"], strict=False)
    if network.prefixlen == network.max_prefixlen:
        return api_address(network.network_address)
    return api_network(network)


def needs_update(desired, current):
    if "comment" in desired and (desired["comment"] or "") != (current.get("comment") or ""):
        return True
    return "deleteAfterDate" in desired and parse_date(desired["deleteAfterDate"]) != parse_date(current.get("deleteAfterDate"))


def add_entries(client, project_id, bodies):
    """POST creates new entries and updates the comment/expiry of existing ones (Atlas upserts)."""
    return client.call("createGroupAccessListEntry", bodies, groupId=project_id)


def delete_entry(client, project_id, entry):
    try:
        client.call("deleteGroupAccessListEntry", groupId=project_id, entryValue=entry_path_value(entry))
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code in ENTRY_NOT_FOUND_CODES:
            return
        raise


def entry_result(entry):
    data = strip_links(entry)
    return to_snake(data)
