"""ecr_image_info against moto: listing and every filter."""

from __future__ import annotations

from ecr_helpers import MANIFEST_V2, image_manifest, push_image

REPO = "chatbot/gateway"


def setup_images(ecr_runner, ecr):
    ecr_runner.run("ecr_repository", {"name": REPO, "image_tag_mutability": "mutable"})
    digests = {
        "v1": push_image(ecr, REPO, "v1.0.0", "one"),
        "v2": push_image(ecr, REPO, "v2.0.0", "two"),
        "dev": push_image(ecr, REPO, "dev-abc", "three"),
    }
    ecr.put_image(
        repositoryName=REPO,
        imageManifest=ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "v2.0.0"}])["images"][0]["imageManifest"],
        imageTag="prod",
    )
    return digests


def test_lists_images_with_details_and_filters(ecr_runner, ecr, calls):
    digests = setup_images(ecr_runner, ecr)
    calls.clear()
    everything = ecr_runner.run("ecr_image_info", {"repository": REPO})
    assert everything["changed"] is False
    assert calls.writes() == []
    by_digest = {i["digest"]: i for i in everything["images"]}
    assert set(by_digest) == set(digests.values())
    assert by_digest[digests["v2"]]["tags"] == ["prod", "v2.0.0"]
    assert by_digest[digests["v1"]]["size_bytes"] == 1500
    assert by_digest[digests["v1"]]["manifest_media_type"] == "application/vnd.docker.distribution.manifest.v2+json"
    assert by_digest[digests["v1"]]["pushed_at"]

    prod = ecr_runner.run("ecr_image_info", {"repository": REPO, "image_tags": ["prod"]})
    assert [i["digest"] for i in prod["images"]] == [digests["v2"]]
    releases = ecr_runner.run("ecr_image_info", {"repository": REPO, "tag_patterns": ["v*.0.0"]})
    assert {i["digest"] for i in releases["images"]} == {digests["v1"], digests["v2"]}
    one = ecr_runner.run("ecr_image_info", {"repository": REPO, "image_digests": [digests["dev"]]})
    assert [i["tags"] for i in one["images"]] == [["dev-abc"]]
    assert len(ecr_runner.run("ecr_image_info", {"repository": REPO, "max_results": 2})["images"]) == 2
    assert len(ecr_runner.run("ecr_image_info", {"repository": REPO, "pushed_within_days": 1})["images"]) == 3
    assert ecr_runner.run("ecr_image_info", {"repository": REPO, "tag_status": "untagged"})["images"] == []


def test_untagged_images_are_listed_as_such(ecr_runner, ecr):
    ecr_runner.run("ecr_repository", {"name": REPO, "image_tag_mutability": "mutable"})
    # An image pushed by digest only (no tag), as a multi-architecture build leaves its per-platform images.
    first = ecr.put_image(repositoryName=REPO, imageManifest=image_manifest("untagged"), imageManifestMediaType=MANIFEST_V2)["image"]["imageId"]["imageDigest"]
    push_image(ecr, REPO, "edge", "tagged")
    untagged = ecr_runner.run("ecr_image_info", {"repository": REPO, "tag_status": "untagged"})
    assert [i["digest"] for i in untagged["images"]] == [first]
    assert untagged["images"][0]["tags"] == []


def test_missing_repository_fails_in_one_line(ecr_runner):
    result = ecr_runner.run("ecr_image_info", {"repository": "does/not-exist"})
    assert result["failed"] is True
    assert result["msg"].startswith("list images of 'does/not-exist' failed: RepositoryNotFoundException:")
    assert "\n" not in result["msg"]
