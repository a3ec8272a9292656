"""atlas_private_endpoint against the emulator: service per region, interface endpoint registration, waiting."""

from __future__ import annotations

VPCE = "vpce-0a1b2c3d4e5f60718"


def test_service_then_endpoint_then_connection_string(atlas, project):
    service = atlas.run("atlas_private_endpoint", {"project_id": project, "region": "eu-west-1", "wait_timeout": 30})
    assert service["changed"] is True
    assert service["endpoint_service"]["status"] == "AVAILABLE"
    assert service["endpoint_service"]["region_name"] == "EU_WEST_1"
    assert service["endpoint_service"]["endpoint_service_name"].startswith("com.amazonaws.vpce.eu-west-1.vpce-svc-")

    atlas.emulator.clear_requests()
    assert atlas.run("atlas_private_endpoint", {"project_id": project, "region": "EU_WEST_1"})["changed"] is False
    assert atlas.writes() == []

    args = {"project_id": project, "region": "eu-west-1", "interface_endpoint_id": VPCE, "wait_timeout": 30}
    registered = atlas.run("atlas_private_endpoint", args, diff=True)
    assert registered["changed"] is True
    assert registered["endpoint"]["connection_status"] == "AVAILABLE"
    assert registered["endpoint_service"]["interface_endpoints"] == [VPCE]

    atlas.emulator.clear_requests()
    assert atlas.run("atlas_private_endpoint", args)["changed"] is False
    assert atlas.writes() == []

    info = atlas.run("atlas_private_endpoint_info", {"project_id": project, "region": "eu-west-1"})
    assert [s["region_name"] for s in info["endpoint_services"]] == ["EU_WEST_1"]
    assert info["endpoint_services"][0]["endpoints"] == [
        {"cloud_provider": "AWS", "interface_endpoint_id": VPCE, "connection_status": "AVAILABLE", "delete_requested": False}
    ]
    assert atlas.run("atlas_private_endpoint_info", {"project_id": project, "region": "us-east-1"})["endpoint_services"] == []

    cluster = atlas.run("atlas_cluster", {"project_id": project, "name": "c1", "region": "EU_WEST_1", "instance_size": "M10", "wait_timeout": 30})
    endpoints = cluster["connection_strings"]["private_endpoint"]
    assert len(endpoints) == 1
    assert endpoints[0]["endpoints"][0]["endpoint_id"] == VPCE
    assert endpoints[0]["srv_connection_string"].startswith("mongodb+srv://")


def test_absent_removes_endpoints_then_service(atlas, project):
    atlas.run("atlas_private_endpoint", {"project_id": project, "region": "eu-west-1", "interface_endpoint_id": VPCE, "wait_timeout": 30})
    removed = atlas.run("atlas_private_endpoint", {"project_id": project, "region": "eu-west-1", "state": "absent", "wait_timeout": 30})
    assert removed["changed"] is True
    assert atlas.emulator.snapshot()["services"] == []
    assert atlas.run("atlas_private_endpoint", {"project_id": project, "region": "eu-west-1", "state": "absent"})["changed"] is False


def test_check_mode_and_bad_endpoint_id(atlas, project):
    preview = atlas.run("atlas_private_endpoint", {"project_id": project, "region": "eu-west-1", "interface_endpoint_id": VPCE}, check=True)
    assert preview["changed"] is True
    assert atlas.writes() == []
    bad = atlas.run("atlas_private_endpoint", {"project_id": project, "region": "eu-west-1", "interface_endpoint_id": "endpoint-1"})
    assert bad["failed"] is True
    assert bad["msg"] == "interface_endpoint_id 'endpoint-1' is not an AWS VPC endpoint id such as vpce-0123456789abcdef0"
