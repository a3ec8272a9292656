"""moto server with the IAM Identity Center calls that moto 5.2 lacks and Terraform needs, and with
the answers corrected in which moto differs from AWS where a second Terraform plan would show it.

moto's sso-admin emulation stores the tags given to CreatePermissionSet but does not implement
ListTagsForResource, TagResource or UntagResource, and it provisions permission sets synchronously
without DescribePermissionSetProvisioningStatus. The Terraform AWS provider reads a permission set's
tags after every create and refresh and polls the provisioning status after every policy change, so
without these it retries a 500 until its timeout. This launcher adds the four calls on top of moto's
own stores (tags of permission sets only, other resource types answer ResourceNotFoundException; the
status of the provisioning requests moto answered), then runs the normal moto server command line.
It also fixes one moto bug: AttachManagedPolicyToPermissionSet looks up a policy's path under
"path" while moto's policy data spells it "Path", so every AWS managed policy outside "/" (such as
job-function/ViewOnlyAccess) is refused.

For the platform stack (terraform/stacks/platform) it corrects what moto drops or reshapes, so that a
second plan is as empty as on AWS: EKS clusters keep accessConfig and upgradePolicy and get the
cluster security group EKS creates; node groups made from a launch template report no remoteAccess
and keep updateConfig; a launch template's own tags stay out of its data; security group rules that
reference a group keep their description; SQS returns RedrivePolicy as compact JSON. What moto does
not implement at all (EKS add-ons and access entries, RedriveAllowPolicy, EFS backup policies) is not
added here: the local inventory switches it off. Everything else is moto as released.

AWS managed policies: moto knows them only with its own setting MOTO_IAM_LOAD_MANAGED_POLICIES=true,
which this launcher makes the default (as in AWS, every account has them; the security stack's Config
aggregator role attaches AWSConfigRoleForOrganizations). Loading them costs time in every account moto
creates (about 30 % of the ECR functional tests, which reset moto before each test), so suites that
attach none start it with MOTO_IAM_LOAD_MANAGED_POLICIES=false (tests/conftest.py's moto_url, the ECR
functional tests, the molecule and build stages).

Every request moto refuses (status 400 and above) or answers after more than PLATFORM_MOTO_SLOW_SECONDS (default 5)
gets a `moto-request: <operation> -> <status> in <seconds>` line on stderr (the local-services log); a failed molecule
scenario prints the last of them.

Usage: .venv/bin/python tests/emulators/moto/server.py -H 127.0.0.1 -p 5000   (moto_server's own options)
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import urllib.parse

from moto.core.exceptions import JsonRESTError
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.eks.responses import EKSResponse
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.sqs.models import Queue
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


# ---- EKS, EC2 launch templates, SQS: what moto drops or reshapes, so a second plan of the platform
# stack would replace the cluster and its node groups every run ---------------------------------------
_create_cluster_original = EKSResponse.create_cluster
_create_nodegroup_original = EKSResponse.create_nodegroup
_create_launch_template_original = LaunchTemplates.create_launch_template
_queue_attributes_original = Queue.attributes.fget


def create_cluster(self: EKSResponse):
    """Keep what EKS keeps and moto drops: accessConfig and upgradePolicy as requested (EKS's defaults
    otherwise), and the cluster security group EKS creates in the cluster's VPC
    (eks-cluster-sg-<name>-<id>), reported as resourcesVpcConfig.clusterSecurityGroupId with the vpcId.
    Without it nothing could admit the cluster (the EFS and Redis security group rules)."""
    from moto.ec2.models import ec2_backends
    from moto.moto_api._internal import mock_random

    result = _create_cluster_original(self)
    cluster = self.eks_backend.describe_cluster(name=self._get_param("name"))
    access = self._get_param("accessConfig") or {}
    cluster.access_config = {
        "authenticationMode": access.get("authenticationMode", "CONFIG_MAP"),
        "bootstrapClusterCreatorAdminPermissions": access.get("bootstrapClusterCreatorAdminPermissions", True),
    }
    cluster.upgrade_policy = self._get_param("upgradePolicy") or {"supportType": "EXTENDED"}
    config = cluster.resources_vpc_config
    subnet_ids = config.get("subnetIds") or []
    if subnet_ids and "clusterSecurityGroupId" not in config:
        ec2 = ec2_backends[self.current_account][self.region]
        vpc_id = ec2.get_subnet(subnet_ids[0]).vpc_id
        group = ec2.create_security_group(
            name=f"eks-cluster-sg-{cluster.name}-{mock_random.randint(10**9, 10**10 - 1)}",
            description="EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
            vpc_id=vpc_id,
            tags={"aws:eks:cluster-name": cluster.name, f"kubernetes.io/cluster/{cluster.name}": "owned"},
        )
        config.update({"clusterSecurityGroupId": group.id, "vpcId": vpc_id})
    return result


def create_nodegroup(self: EKSResponse):
    """A node group created with a launch template has no remoteAccess (moto reports a default SSH key,
    which the provider would replace the group to remove), and keeps its updateConfig (moto drops it)."""
    result = _create_nodegroup_original(self)
    nodegroup = self.eks_backend.describe_nodegroup(cluster_name=self._get_param("name"), nodegroup_name=self._get_param("nodegroupName"))
    if self._get_param("remoteAccess") is None:
        nodegroup.remote_access = None
    if self._get_param("updateConfig") is not None:
        nodegroup.update_config = self._get_param("updateConfig")
    return result


def create_launch_template(self: LaunchTemplates):
    """The request's TagSpecifications tag the launch template itself; moto also copies them into the
    template's data, which EC2 never does (resource type launch-template is not valid there)."""
    result = _create_launch_template_original(self)
    template = self.ec2_backend.get_launch_template_by_name(self._get_param("LaunchTemplateName"))
    for version in template.versions:
        specs = version.data.get("TagSpecifications")
        if specs:
            version.data["TagSpecifications"] = [t for t in specs if t.get("ResourceType") != "launch-template"]
    return result


def security_group_rule_description(self: SecurityGroupRule) -> str | None:
    """A rule that references a security group keeps its description with the group pair; moto
    reads it from the CIDR range only, so such rules lose it (DescribeSecurityGroupRules)."""
    return self.ip_range.get("Description") or self.source_group.get("Description")


def queue_attributes(self: Queue) -> dict:
    """SQS returns RedrivePolicy as compact JSON; moto re-serialises it with spaces."""
    result = _queue_attributes_original(self)
    if self.redrive_policy:
        result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
    return result


def install() -> None:
    """Add the missing calls to moto's sso-admin responses (idempotent)."""
    if getattr(SSOAdminResponse, "_chatbot_platform_extended", False):
        return
    SSOAdminResponse._chatbot_platform_extended = True
    SSOAdminBackend._find_managed_policy = _find_managed_policy
    EKSResponse.create_cluster = create_cluster
    EKSResponse.create_nodegroup = create_nodegroup
    LaunchTemplates.create_launch_template = create_launch_template
    Queue.attributes = property(queue_attributes)
    SecurityGroupRule.description = property(security_group_rule_description)
    SSOAdminResponse.provision_permission_set = provision_permission_set
    SSOAdminResponse.describe_permission_set_provisioning_status = describe_permission_set_provisioning_status
    SSOAdminResponse.list_tags_for_resource = list_tags_for_resource
    SSOAdminResponse.tag_resource = tag_resource
    SSOAdminResponse.untag_resource = untag_resource


# Requests slower than this, or answered with an error, get a line of their own in the server's log (beside
# werkzeug's, which names neither the operation nor the time taken): what a failed run needs to tell a slow
# answer a client may have given up on from a real refusal. scripts/stages/molecule.sh prints them when a scenario fails.
SLOW_SECONDS = float(os.environ.get("PLATFORM_MOTO_SLOW_SECONDS", "5"))


def _form_body(environ: dict) -> bytes:
    """The body of a query-protocol (form) POST, read once and handed on to moto unchanged; b"" for any other request."""
    if environ.get("REQUEST_METHOD") != "POST" or not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return b""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _operation(environ: dict, form_body: bytes) -> str:
    """The AWS operation of a request: X-Amz-Target, the Action of a form body, else method and path."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target
    action = urllib.parse.parse_qs(form_body.decode("utf-8", "replace")).get("Action", [""])[0] if form_body else ""
    return action or f"{environ.get('REQUEST_METHOD', '?')} {environ.get('PATH_INFO', '')}"


def log_slow_and_failed(app):
    """WSGI middleware: one `moto-request:` line on stderr per request that failed (>= 400) or took over SLOW_SECONDS.

    The operation is worked out only for the requests it logs; a form body is kept (moto reads the stream) but parsed
    only then.
    """

    def wrapped(environ, start_response):
        form_body = _form_body(environ)
        started = time.monotonic()
        status = []

        def recording_start_response(code, headers, *args):
            status.append(code)
            return start_response(code, headers, *args)

        try:
            return app(environ, recording_start_response)
        finally:
            elapsed = time.monotonic() - started
            code = status[0].split(" ", 1)[0] if status else "no-answer"
            if elapsed > SLOW_SECONDS or not code.startswith(("2", "3")):
                print(f"moto-request: {_operation(environ, form_body)} -> {code} in {elapsed:.1f}s", file=sys.stderr, flush=True)

    return wrapped


def main() -> None:
    # Every account knows the AWS managed policies, as in AWS, unless the caller opts out (docstring).
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    install()
    import moto.server
    from moto.server import main as moto_main

    dispatcher = moto.server.DomainDispatcherApplication

    def logged_dispatcher(*args, **kwargs):
        inner = dispatcher(*args, **kwargs)
        inner.debug = True  # what moto's main sets on the application it builds
        return log_slow_and_failed(inner)

    moto.server.DomainDispatcherApplication = logged_dispatcher

    moto_main()


if __name__ == "__main__":
    main()
