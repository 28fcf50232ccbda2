"""The deployment protocol on the wire: response shapes, operation statuses, a realistic lifecycle, cancel."""

from __future__ import annotations

from collections.abc import Callable

from tests.deployments.templates import asg, deployment, template
from tests.helpers import raw, sub_path

from vmss_emulator._utils.clock import FakeClock
from vmss_emulator.app import Emulator

API = "2024-11-01"


def group(emulator: Emulator, name: str = "rg") -> str:
    response = raw(
        emulator, "PUT", f"{sub_path(emulator)}/resourcegroups/{name}?api-version={API}", {"location": "westus"}
    )
    assert response.status in (200, 201)
    return f"{sub_path(emulator)}/resourcegroups/{name}/providers/Microsoft.Resources/deployments"


def test_put_answers_accepted_with_an_operation_status_url_like_azure(emulator: Emulator) -> None:
    base = group(emulator)
    tpl = template([asg("a1"), asg("a2", dependsOn=["a1"])])
    response = raw(emulator, "PUT", f"{base}/dep1?api-version={API}", deployment(tpl))
    assert response.status == 201
    body = response.json()
    assert body["type"] == "Microsoft.Resources/deployments" and body["name"] == "dep1"
    props = body["properties"]
    assert props["provisioningState"] == "Accepted"
    assert props["mode"] == "Incremental" and props["parameters"] == {}
    assert {"templateHash", "timestamp", "duration", "correlationId", "providers", "dependencies"} <= set(props)
    assert props["providers"] == [
        {
            "namespace": "Microsoft.Network",
            "resourceTypes": [{"resourceType": "applicationSecurityGroups", "locations": ["westus"]}],
        }
    ]
    status_url = response.header("Azure-AsyncOperation") or ""
    assert "/providers/Microsoft.Resources/deployments/dep1/operationStatuses/" in status_url
    assert status_url.endswith(f"?api-version={API}")
    assert response.header("Retry-After") is not None
    poll = raw(emulator, "GET", status_url.split("management.emulator.local", 1)[1])
    assert poll.status == 200 and poll.json()["status"] == "Succeeded"
    final = raw(emulator, "GET", f"{base}/dep1?api-version={API}").json()["properties"]
    assert final["provisioningState"] == "Succeeded"
    assert final["outputs"] == {}
    assert [r["id"].rsplit("/", 1)[1] for r in final["outputResources"]] == ["a1", "a2"]
    again = raw(emulator, "PUT", f"{base}/dep1?api-version={API}", deployment(tpl))
    assert again.status == 200


def test_a_failed_deployment_polls_as_failed_with_deployment_failed(emulator: Emulator) -> None:
    base = group(emulator)
    tpl = template([asg("a1", location="nowhere")])
    response = raw(emulator, "PUT", f"{base}/bad?api-version={API}", deployment(tpl))
    assert response.status == 201
    poll = raw(emulator, "GET", (response.header("Azure-AsyncOperation") or "").split(".local", 1)[1]).json()
    assert poll["status"] == "Failed"
    error = poll["error"]
    assert error["code"] == "DeploymentFailed"
    assert error["details"][0]["code"] == "LocationNotAvailableForResourceType"


def test_validate_of_a_bad_template_answers_400_invalid_template(emulator: Emulator) -> None:
    base = group(emulator)
    tpl = template([asg("[undefinedFunction()]")])
    response = raw(emulator, "POST", f"{base}/v/validate?api-version={API}", deployment(tpl))
    assert response.status == 400
    assert response.error_code == "InvalidTemplate"
    assert raw(emulator, "GET", f"{base}/v?api-version={API}").status == 404


def test_missing_body_parts_are_invalid_request_content(emulator: Emulator) -> None:
    base = group(emulator)
    response = raw(emulator, "PUT", f"{base}/x?api-version={API}", {"properties": {"mode": "Incremental"}})
    assert (response.status, response.error_code) == (400, "InvalidRequestContent")
    response = raw(emulator, "PUT", f"{base}/x?api-version={API}", deployment(template([]), mode="Sideways"))
    assert (response.status, response.error_code) == (400, "InvalidRequestContent")


def test_a_deployment_in_a_missing_group_is_resource_group_not_found(emulator: Emulator) -> None:
    path = f"{sub_path(emulator)}/resourcegroups/nope/providers/Microsoft.Resources/deployments/d?api-version={API}"
    response = raw(emulator, "PUT", path, deployment(template([])))
    assert (response.status, response.error_code) == (404, "ResourceGroupNotFound")


def _clocked(make_emulator: Callable[..., Emulator]) -> tuple[Emulator, FakeClock]:
    clock = FakeClock()
    return make_emulator(clock=clock, lifecycle_profile="realistic"), clock


def test_dependents_start_only_after_their_dependencies_finish(make_emulator: Callable[..., Emulator]) -> None:
    emulator, _ = _clocked(make_emulator)
    base = group(emulator)
    tpl = template([asg("first"), asg("second", dependsOn=["first"])])
    response = raw(emulator, "PUT", f"{base}/slow?api-version={API}", deployment(tpl))
    status_path = (response.header("Azure-AsyncOperation") or "").split(".local", 1)[1]
    assert raw(emulator, "GET", status_path).json()["status"] == "InProgress"
    doc = raw(emulator, "GET", f"{base}/slow?api-version={API}").json()
    assert doc["properties"]["provisioningState"] == "Running"
    operations = raw(emulator, "GET", f"{base}/slow/operations?api-version={API}").json()["value"]
    assert [
        (o["properties"]["targetResource"]["resourceName"], o["properties"]["provisioningState"]) for o in operations
    ] == [("first", "Running")]
    emulator.advance(30)
    assert raw(emulator, "GET", status_path).json()["status"] == "Succeeded"
    operations = raw(emulator, "GET", f"{base}/slow/operations?api-version={API}").json()["value"]
    assert [o["properties"]["provisioningState"] for o in operations] == ["Succeeded", "Succeeded"]
    single = raw(emulator, "GET", f"{operations[1]['id']}?api-version={API}")
    assert single.status == 200 and single.json()["operationId"] == operations[1]["operationId"]
    final = raw(emulator, "GET", f"{base}/slow?api-version={API}").json()["properties"]
    assert final["provisioningState"] == "Succeeded" and final["duration"] != "PT0S"


def test_cancel_stops_a_running_deployment(make_emulator: Callable[..., Emulator]) -> None:
    emulator, _ = _clocked(make_emulator)
    base = group(emulator)
    tpl = template([asg("first"), asg("second", dependsOn=["first"])])
    response = raw(emulator, "PUT", f"{base}/c?api-version={API}", deployment(tpl))
    status_path = (response.header("Azure-AsyncOperation") or "").split(".local", 1)[1]
    raw(emulator, "GET", status_path)
    busy = raw(emulator, "PUT", f"{base}/c?api-version={API}", deployment(tpl))
    assert (busy.status, busy.error_code) == (409, "DeploymentActive")
    assert raw(emulator, "POST", f"{base}/c/cancel?api-version={API}").status == 204
    emulator.advance(30)
    assert raw(emulator, "GET", status_path).json()["status"] == "Canceled"
    doc = raw(emulator, "GET", f"{base}/c?api-version={API}").json()
    assert doc["properties"]["provisioningState"] == "Canceled"
    operations = raw(emulator, "GET", f"{base}/c/operations?api-version={API}").json()["value"]
    assert [o["properties"]["targetResource"]["resourceName"] for o in operations] == ["first"]
    again = raw(emulator, "POST", f"{base}/c/cancel?api-version={API}")
    assert (again.status, again.error_code) == (409, "DeploymentCannotBeCancelled")


def test_what_if_is_a_location_style_operation(emulator: Emulator) -> None:
    base = group(emulator)
    response = raw(emulator, "POST", f"{base}/wi/whatIf?api-version={API}", deployment(template([asg("a1")])))
    assert response.status == 202
    location = (response.header("Location") or "").split(".local", 1)[1]
    result = raw(emulator, "GET", location)
    assert result.status == 200
    (change,) = result.json()["properties"]["changes"]
    assert change["changeType"] == "Create" and change["after"]["name"] == "a1"
