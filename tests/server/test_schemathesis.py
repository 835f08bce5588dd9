"""A bounded schemathesis run against the served OpenAPI: no input makes a 500."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.server.conftest import API, Api

EXAMPLES_PER_OPERATION = 25


def test_generated_requests_never_break_the_server(api: Api) -> None:
    bearer = api.headers("petugas1")
    schema = schemathesis.openapi.from_asgi(f"{API}/openapi.json", api.client.app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def probe(case: Any) -> None:
            response = case.call(headers=bearer)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")
            elif response.status_code >= 400 and case.method != "HEAD":
                error = response.json()["error"]
                assert {"code", "message", "details"} <= set(error), response.text

        probe()
    assert failures == []
