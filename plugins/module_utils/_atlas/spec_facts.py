# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Facts derived from MongoDB's Atlas Administration API v2 specification. GENERATED: do not edit.

Regenerate with ``python scripts/atlas_spec_facts.py`` after the specification in ../shared/atlas-openapi/
changes; tests/functional/atlas/test_atlas_spec.py fails while this file is stale.
"""

from __future__ import annotations

# SHA-256 of the specification file these facts were derived from.
SPEC_SHA256 = "0fd914afb4a3e1ede2d0f48822fe30d7f1ba2c287625382dfb98bbe2606119f9"

# Operations the modules call: method, path, success statuses, media-type versions with sunset.
OPERATIONS = {
    "listGroups": {
        "method": "GET",
        "path": "/groups",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "createGroup": {
        "method": "POST",
        "path": "/groups",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "getGroup": {
        "method": "GET",
        "path": "/groups/{groupId}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "getGroupByName": {
        "method": "GET",
        "path": "/groups/byName/{groupName}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "updateGroup": {
        "method": "PATCH",
        "path": "/groups/{groupId}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "deleteGroup": {
        "method": "DELETE",
        "path": "/groups/{groupId}",
        "statuses": (204,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "listGroupClusters": {
        "method": "GET",
        "path": "/groups/{groupId}/clusters",
        "statuses": (200,),
        "versions": {
            "2023-01-01": "2027-07-01",
            "2023-02-01": "2027-07-01",
            "2024-08-05": None,
        },
    },
    "createGroupCluster": {
        "method": "POST",
        "path": "/groups/{groupId}/clusters",
        "statuses": (201,),
        "versions": {
            "2023-01-01": "2027-07-01",
            "2023-02-01": "2027-07-01",
            "2024-08-05": "2027-03-01",
            "2024-10-23": None,
        },
    },
    "getGroupCluster": {
        "method": "GET",
        "path": "/groups/{groupId}/clusters/{clusterName}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": "2027-07-01",
            "2023-02-01": "2027-07-01",
            "2024-08-05": None,
        },
    },
    "updateGroupCluster": {
        "method": "PATCH",
        "path": "/groups/{groupId}/clusters/{clusterName}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": "2027-07-01",
            "2023-02-01": "2027-07-01",
            "2024-08-05": "2027-03-01",
            "2024-10-23": None,
        },
    },
    "deleteGroupCluster": {
        "method": "DELETE",
        "path": "/groups/{groupId}/clusters/{clusterName}",
        "statuses": (202,),
        "versions": {
            "2023-01-01": "2027-07-01",
            "2023-02-01": None,
        },
    },
    "listGroupDatabaseUsers": {
        "method": "GET",
        "path": "/groups/{groupId}/databaseUsers",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "createGroupDatabaseUser": {
        "method": "POST",
        "path": "/groups/{groupId}/databaseUsers",
        "statuses": (201,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "getGroupDatabaseUser": {
        "method": "GET",
        "path": "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "updateGroupDatabaseUser": {
        "method": "PATCH",
        "path": "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "deleteGroupDatabaseUser": {
        "method": "DELETE",
        "path": "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
        "statuses": (204,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "listGroupAccessListEntries": {
        "method": "GET",
        "path": "/groups/{groupId}/accessList",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "createGroupAccessListEntry": {
        "method": "POST",
        "path": "/groups/{groupId}/accessList",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "getGroupAccessListEntry": {
        "method": "GET",
        "path": "/groups/{groupId}/accessList/{entryValue}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "deleteGroupAccessListEntry": {
        "method": "DELETE",
        "path": "/groups/{groupId}/accessList/{entryValue}",
        "statuses": (204,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "listGroupPrivateEndpointEndpointService": {
        "method": "GET",
        "path": "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "createGroupPrivateEndpointEndpointService": {
        "method": "POST",
        "path": "/groups/{groupId}/privateEndpoint/endpointService",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "getGroupPrivateEndpointEndpointService": {
        "method": "GET",
        "path": "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "deleteGroupPrivateEndpointEndpointService": {
        "method": "DELETE",
        "path": "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}",
        "statuses": (204,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "createGroupPrivateEndpointEndpointServiceEndpoint": {
        "method": "POST",
        "path": "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint",
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "getGroupPrivateEndpointEndpointServiceEndpoint": {
        "method": "GET",
        "path": ("/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}"),
        "statuses": (200,),
        "versions": {
            "2023-01-01": None,
        },
    },
    "deleteGroupPrivateEndpointEndpointServiceEndpoint": {
        "method": "DELETE",
        "path": ("/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}"),
        "statuses": (204,),
        "versions": {
            "2023-01-01": None,
        },
    },
}

# Instance sizes of dedicated clusters per provider (hardware specs, 2024-08-05 shape).
INSTANCE_SIZES = {
    "AWS": (
        "M10",
        "M20",
        "M30",
        "M40",
        "M50",
        "M60",
        "M80",
        "M100",
        "M140",
        "M200",
        "M300",
        "R40",
        "R50",
        "R60",
        "R80",
        "R200",
        "R300",
        "R400",
        "R700",
        "M40_NVME",
        "M50_NVME",
        "M60_NVME",
        "M80_NVME",
        "M200_NVME",
        "M400_NVME",
        "M30_GEN_2",
        "M40_GEN_2",
        "M50_GEN_2",
        "M60_GEN_2",
        "M80_GEN_2",
        "M140_GEN_2",
        "M200_GEN_2",
        "M300_GEN_2",
        "R40_GEN_2",
        "R50_GEN_2",
        "R60_GEN_2",
        "R80_GEN_2",
        "R200_GEN_2",
        "R300_GEN_2",
        "R400_GEN_2",
        "R700_GEN_2",
        "M40_NVME_GEN_2",
        "M50_NVME_GEN_2",
        "M60_NVME_GEN_2",
        "M80_NVME_GEN_2",
        "M200_NVME_GEN_2",
        "M400_NVME_GEN_2",
    ),
    "AZURE": (
        "M10",
        "M20",
        "M30",
        "M40",
        "M50",
        "M60",
        "M80",
        "M90",
        "M200",
        "R40",
        "R50",
        "R60",
        "R80",
        "R200",
        "R300",
        "R400",
        "M60_NVME",
        "M80_NVME",
        "M200_NVME",
        "M300_NVME",
        "M400_NVME",
        "M600_NVME",
    ),
    "GCP": (
        "M10",
        "M20",
        "M30",
        "M40",
        "M50",
        "M60",
        "M80",
        "M140",
        "M200",
        "M250",
        "M300",
        "M400",
        "R40",
        "R50",
        "R60",
        "R80",
        "R200",
        "R300",
        "R400",
        "R600",
        "M30_GEN_2",
        "M40_GEN_2",
        "M50_GEN_2",
        "M60_GEN_2",
        "M80_GEN_2",
        "M140_GEN_2",
        "M200_GEN_2",
        "R40_GEN_2",
        "R50_GEN_2",
        "R60_GEN_2",
        "R80_GEN_2",
        "R200_GEN_2",
        "R300_GEN_2",
        "R400_GEN_2",
    ),
}

# Sizes compute auto-scaling may use as minimum or maximum per provider.
AUTO_SCALING_INSTANCE_SIZES = {
    "AWS": (
        "M10",
        "M20",
        "M30",
        "M40",
        "M50",
        "M60",
        "M80",
        "M100",
        "M140",
        "M200",
        "M300",
        "R40",
        "R50",
        "R60",
        "R80",
        "R200",
        "R300",
        "R400",
        "R700",
        "M40_NVME",
        "M50_NVME",
        "M60_NVME",
        "M80_NVME",
        "M200_NVME",
        "M400_NVME",
        "M30_GEN_2",
        "M40_GEN_2",
        "M50_GEN_2",
        "M60_GEN_2",
        "M80_GEN_2",
        "M140_GEN_2",
        "M200_GEN_2",
        "M300_GEN_2",
        "R40_GEN_2",
        "R50_GEN_2",
        "R60_GEN_2",
        "R80_GEN_2",
        "R200_GEN_2",
        "R300_GEN_2",
        "R400_GEN_2",
        "R700_GEN_2",
        "M40_NVME_GEN_2",
        "M50_NVME_GEN_2",
        "M60_NVME_GEN_2",
        "M80_NVME_GEN_2",
        "M200_NVME_GEN_2",
        "M400_NVME_GEN_2",
    ),
    "AZURE": (
        "M10",
        "M20",
        "M30",
        "M40",
        "M50",
        "M60",
        "M80",
        "M90",
        "M200",
        "R40",
        "R50",
        "R60",
        "R80",
        "R200",
        "R300",
        "R400",
        "M60_NVME",
        "M80_NVME",
        "M200_NVME",
        "M300_NVME",
        "M400_NVME",
        "M600_NVME",
    ),
    "GCP": (
        "M10",
        "M20",
        "M30",
        "M40",
        "M50",
        "M60",
        "M80",
        "M140",
        "M200",
        "M250",
        "M300",
        "M400",
        "R40",
        "R50",
        "R60",
        "R80",
        "R200",
        "R300",
        "R400",
        "R600",
        "M30_GEN_2",
        "M40_GEN_2",
        "M50_GEN_2",
        "M60_GEN_2",
        "M80_GEN_2",
        "M140_GEN_2",
        "M200_GEN_2",
        "R40_GEN_2",
        "R50_GEN_2",
        "R60_GEN_2",
        "R80_GEN_2",
        "R200_GEN_2",
        "R300_GEN_2",
        "R400_GEN_2",
    ),
}

# Region names per provider.
REGIONS = {
    "AWS": (
        "US_GOV_WEST_1",
        "US_GOV_EAST_1",
        "US_EAST_1",
        "US_EAST_2",
        "US_WEST_1",
        "US_WEST_2",
        "CA_CENTRAL_1",
        "EU_NORTH_1",
        "EU_WEST_1",
        "EU_WEST_2",
        "EU_WEST_3",
        "EU_CENTRAL_1",
        "EU_CENTRAL_2",
        "AP_EAST_1",
        "AP_EAST_2",
        "AP_NORTHEAST_1",
        "AP_NORTHEAST_2",
        "AP_NORTHEAST_3",
        "AP_SOUTHEAST_1",
        "AP_SOUTHEAST_2",
        "AP_SOUTHEAST_3",
        "AP_SOUTHEAST_4",
        "AP_SOUTHEAST_5",
        "AP_SOUTHEAST_6",
        "AP_SOUTHEAST_7",
        "AP_SOUTH_1",
        "AP_SOUTH_2",
        "SA_EAST_1",
        "CN_NORTH_1",
        "CN_NORTHWEST_1",
        "ME_SOUTH_1",
        "ME_CENTRAL_1",
        "AF_SOUTH_1",
        "EU_SOUTH_1",
        "EU_SOUTH_2",
        "IL_CENTRAL_1",
        "CA_WEST_1",
        "MX_CENTRAL_1",
        "GLOBAL",
    ),
    "AZURE": (
        "US_CENTRAL",
        "US_EAST",
        "US_EAST_2",
        "US_NORTH_CENTRAL",
        "US_WEST",
        "US_SOUTH_CENTRAL",
        "EUROPE_NORTH",
        "EUROPE_WEST",
        "US_WEST_CENTRAL",
        "US_WEST_2",
        "US_WEST_3",
        "CANADA_EAST",
        "CANADA_CENTRAL",
        "BRAZIL_SOUTH",
        "BRAZIL_SOUTHEAST",
        "AUSTRALIA_CENTRAL",
        "AUSTRALIA_CENTRAL_2",
        "AUSTRALIA_EAST",
        "AUSTRALIA_SOUTH_EAST",
        "GERMANY_WEST_CENTRAL",
        "GERMANY_NORTH",
        "SWEDEN_CENTRAL",
        "SWEDEN_SOUTH",
        "SWITZERLAND_NORTH",
        "SWITZERLAND_WEST",
        "UK_SOUTH",
        "UK_WEST",
        "NORWAY_EAST",
        "NORWAY_WEST",
        "INDIA_CENTRAL",
        "INDIA_SOUTH",
        "INDIA_WEST",
        "CHINA_EAST",
        "CHINA_NORTH",
        "ASIA_EAST",
        "JAPAN_EAST",
        "JAPAN_WEST",
        "ASIA_SOUTH_EAST",
        "KOREA_CENTRAL",
        "KOREA_SOUTH",
        "FRANCE_CENTRAL",
        "FRANCE_SOUTH",
        "SOUTH_AFRICA_NORTH",
        "SOUTH_AFRICA_WEST",
        "UAE_CENTRAL",
        "UAE_NORTH",
        "QATAR_CENTRAL",
        "POLAND_CENTRAL",
        "ISRAEL_CENTRAL",
        "ITALY_NORTH",
        "SPAIN_CENTRAL",
        "MEXICO_CENTRAL",
        "NEW_ZEALAND_NORTH",
        "US_GOV_VIRGINIA",
        "US_GOV_ARIZONA",
        "US_GOV_TEXAS",
    ),
    "GCP": (
        "EASTERN_US",
        "EASTERN_US_AW",
        "US_EAST_4",
        "US_EAST_4_AW",
        "US_EAST_5",
        "US_EAST_5_AW",
        "US_WEST_2",
        "US_WEST_2_AW",
        "US_WEST_3",
        "US_WEST_3_AW",
        "US_WEST_4",
        "US_WEST_4_AW",
        "US_SOUTH_1",
        "US_SOUTH_1_AW",
        "CENTRAL_US",
        "CENTRAL_US_AW",
        "WESTERN_US",
        "WESTERN_US_AW",
        "NORTH_AMERICA_NORTHEAST_1",
        "NORTH_AMERICA_NORTHEAST_2",
        "NORTH_AMERICA_SOUTH_1",
        "SOUTH_AMERICA_EAST_1",
        "SOUTH_AMERICA_WEST_1",
        "WESTERN_EUROPE",
        "EUROPE_NORTH_1",
        "EUROPE_WEST_2",
        "EUROPE_WEST_3",
        "EUROPE_WEST_4",
        "EUROPE_WEST_6",
        "EUROPE_WEST_8",
        "EUROPE_WEST_9",
        "EUROPE_WEST_10",
        "EUROPE_WEST_12",
        "EUROPE_SOUTHWEST_1",
        "EUROPE_CENTRAL_2",
        "MIDDLE_EAST_CENTRAL_1",
        "MIDDLE_EAST_CENTRAL_2",
        "MIDDLE_EAST_WEST_1",
        "AUSTRALIA_SOUTHEAST_1",
        "AUSTRALIA_SOUTHEAST_2",
        "AFRICA_SOUTH_1",
        "EASTERN_ASIA_PACIFIC",
        "NORTHEASTERN_ASIA_PACIFIC",
        "SOUTHEASTERN_ASIA_PACIFIC",
        "ASIA_EAST_2",
        "ASIA_NORTHEAST_2",
        "ASIA_NORTHEAST_3",
        "ASIA_SOUTH_1",
        "ASIA_SOUTH_2",
        "ASIA_SOUTHEAST_2",
    ),
}

CLUSTER_TYPES = (
    "REPLICASET",
    "SHARDED",
    "GEOSHARDED",
)

CLUSTER_STATES = (
    "IDLE",
    "CREATING",
    "UPDATING",
    "DELETING",
    "REPAIRING",
)

CLUSTER_NAME_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9-]*$"

ENDPOINT_SERVICE_STATES = (
    "INITIATING",
    "AVAILABLE",
    "WAITING_FOR_USER",
    "FAILED",
    "DELETING",
)

AWS_INTERFACE_ENDPOINT_STATES = (
    "PENDING_ACCEPTANCE",
    "PENDING",
    "AVAILABLE",
    "REJECTED",
    "DELETING",
)

AWS_INTERFACE_ENDPOINT_ID_PATTERN = "^vpce-[0-9a-f]{17}$"

# Fields a database user body (POST and PATCH) must carry.
DATABASE_USER_REQUIRED = (
    "databaseName",
    "groupId",
    "roles",
    "username",
)

DATABASE_USER_DATABASES = (
    "admin",
    "$external",
)

DATABASE_USER_SCOPE_TYPES = (
    "CLUSTER",
    "DATA_LAKE",
    "STREAM",
)

DATABASE_USER_SCOPE_NAME_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9-]*$"

DATABASE_USER_BUILTIN_ROLES = (
    "atlasAdmin",
    "backup",
    "clusterMonitor",
    "dbAdmin",
    "dbAdminAnyDatabase",
    "enableSharding",
    "read",
    "readAnyDatabase",
    "readWrite",
    "readWriteAnyDatabase",
)

DATABASE_USER_USERNAME_MAX_LENGTH = 1024

DATABASE_USER_PASSWORD_MIN_LENGTH = 8

ACCESS_LIST_IP_ADDRESS_PATTERN = "^((25[0-5]|(2[0-4]|1\\d|[1-9]|)\\d)(\\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$"

ACCESS_LIST_CIDR_BLOCK_PATTERN = (
    "^([0-9]{1,3}\\.){3}[0-9]{1,3}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\\:){7}[0-9a-f]{1,4}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\\:){1,6}\\:(%2[fF][0-9]{1,3})?$"
)

ACCESS_LIST_SECURITY_GROUP_PATTERN = "^([0-9]*/)?sg-([0-9]*)"

ACCESS_LIST_ENTRY_VALUE_PATTERN = (
    "^([0-9]{1,3}\\.){3}[0-9]{1,3}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\\:){7}[0-9a-f]{1,4}(%2[fF][0-9]{1,3})?"
    "|([0-9a-f]{1,4}\\:){1,6}\\:(%2[fF][0-9]{1,3})|(sg\\-[a-f0-9]{8})?$"
)

ACCESS_LIST_COMMENT_MAX_LENGTH = 80
