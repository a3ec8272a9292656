"""moto server with the IAM Identity Center calls that moto 5.2 lacks and Terraform needs.

moto's sso-admin emulation stores the tags given to CreatePermissionSet but does not implement
ListTagsForResource, TagResource or UntagResource, and it provisions permission sets synchronously
without DescribePermissionSetProvisioningStatus. The Terraform AWS provider reads a permission set's
tags after every create and refresh and polls the provisioning status after every policy change, so
without these it retries a 500 until its timeout. This launcher adds the four calls on top of moto's
own stores (tags of permission sets only, other resource types answer ResourceNotFoundException; the
status of the provisioning requests moto answered), then runs the normal moto server command line.
It also fixes one moto bug: AttachManagedPolicyToPermissionSet looks up a policy's path under
"path" while moto's policy data spells it "Path", so every AWS managed policy outside "/" (such as
job-function/ViewOnlyAccess) is refused. Everything else is moto as released.

AWS managed policies: moto knows them only with its own setting MOTO_IAM_LOAD_MANAGED_POLICIES=true,
which this launcher makes the default (as in AWS, every account has them; the security stack's Config
aggregator role attaches AWSConfigRoleForOrganizations). Loading them costs time in every account moto
creates (about 30 % of the ECR functional tests, which reset moto before each test), so suites that
attach none start it with MOTO_IAM_LOAD_MANAGED_POLICIES=false (tests/conftest.py's moto_url, the ECR
functional tests, the molecule and build stages).

Usage: .venv/bin/python tests/emulators/moto/server.py -H 127.0.0.1 -p 5000   (moto_server's own options)
"""

from __future__ import annotations

import json
import os

from moto.core.exceptions import JsonRESTError
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.ssoadmin.exceptions import ResourceNotFoundException
from moto.ssoadmin.models import ManagedPolicy, SSOAdminBackend
from moto.ssoadmin.responses import SSOAdminResponse


class _ResourceNotFound(JsonRESTError):
    code = 400

    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"Resource {arn} does not exist or is not taggable here.")


def _permission_set(response: SSOAdminResponse, instance_arn: str, arn: str):
    for permission_set in response.ssoadmin_backend.permission_sets:
        if permission_set.permission_set_arn == arn and (not instance_arn or permission_set.instance_arn == instance_arn):
            return permission_set
    raise _ResourceNotFound(arn)


def list_tags_for_resource(self: SSOAdminResponse) -> str:
    params = json.loads(self.body or "{}")
    permission_set = _permission_set(self, params.get("InstanceArn"), params.get("ResourceArn"))
    return json.dumps({"Tags": list(permission_set.tags or [])})


def tag_resource(self: SSOAdminResponse) -> str:
    params = json.loads(self.body or "{}")
    permission_set = _permission_set(self, params.get("InstanceArn"), params.get("ResourceArn"))
    tags = {t["Key"]: t["Value"] for t in permission_set.tags or []}
    tags.update({t["Key"]: t["Value"] for t in params.get("Tags", [])})
    permission_set.tags = [{"Key": k, "Value": v} for k, v in tags.items()]
    return "{}"


def untag_resource(self: SSOAdminResponse) -> str:
    params = json.loads(self.body or "{}")
    permission_set = _permission_set(self, params.get("InstanceArn"), params.get("ResourceArn"))
    removed = set(params.get("TagKeys", []))
    permission_set.tags = [t for t in permission_set.tags or [] if t["Key"] not in removed]
    return "{}"


_provision_original = SSOAdminResponse.provision_permission_set
_provisioning_requests: dict[str, dict] = {}


def provision_permission_set(self: SSOAdminResponse) -> str:
    body = _provision_original(self)
    status = json.loads(body)["PermissionSetProvisioningStatus"]
    _provisioning_requests[status["RequestId"]] = status
    return body


def describe_permission_set_provisioning_status(self: SSOAdminResponse) -> str:
    params = json.loads(self.body or "{}")
    request_id = params.get("ProvisionPermissionSetRequestId")
    if request_id not in _provisioning_requests:
        raise _ResourceNotFound(str(request_id))
    return json.dumps({"PermissionSetProvisioningStatus": _provisioning_requests[request_id]})


def _find_managed_policy(self: SSOAdminBackend, managed_policy_arn: str) -> ManagedPolicy:
    if self.aws_managed_policies is None:
        self.aws_managed_policies = json.loads(aws_managed_policies_data)
    policy_name = managed_policy_arn.split("/")[-1]
    policy = self.aws_managed_policies.get(policy_name)
    if policy is not None:
        path = policy.get("Path", policy.get("path", "/"))
        if managed_policy_arn == f"arn:{self.partition}:iam::aws:policy{path}{policy_name}":
            return ManagedPolicy(managed_policy_arn, policy_name)
    raise ResourceNotFoundException(f"Policy does not exist with ARN: {managed_policy_arn}")


def install() -> None:
    """Add the missing calls to moto's sso-admin responses (idempotent)."""
    if getattr(SSOAdminResponse, "_chatbot_platform_extended", False):
        return
    SSOAdminResponse._chatbot_platform_extended = True
    SSOAdminBackend._find_managed_policy = _find_managed_policy
    SSOAdminResponse.provision_permission_set = provision_permission_set
    SSOAdminResponse.describe_permission_set_provisioning_status = describe_permission_set_provisioning_status
    SSOAdminResponse.list_tags_for_resource = list_tags_for_resource
    SSOAdminResponse.tag_resource = tag_resource
    SSOAdminResponse.untag_resource = untag_resource


def main() -> None:
    # Every account knows the AWS managed policies, as in AWS, unless the caller opts out (docstring).
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    install()
    from moto.server import main as moto_main

    moto_main()


if __name__ == "__main__":
    main()
