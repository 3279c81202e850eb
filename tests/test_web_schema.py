"""schemathesis against the API's OpenAPI schema: generated requests for every operation and
parameter find no server error (5xx) and no response that breaks its own schema."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a dev dependency (pip install -e '.[dev]')")

from hypothesis import HealthCheck, settings  # noqa: E402

from sitrep.web import create_app  # noqa: E402
from tests.web_helpers import build_demo  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):  # -> BaseSchema
    db = build_demo(tmp_path_factory.mktemp("schema") / "demo.db")
    app = create_app(db, rate=1e9, burst=1e9)  # the rate limit is tested elsewhere
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def test_no_server_errors(api_schema) -> None:  # type: ignore[no-untyped-def]
    from hypothesis import given
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    ran = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(operation.as_strategy())
        @settings(max_examples=int(os.environ.get("SITREP_SCHEMA_EXAMPLES", "25")), deadline=None,
                  suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(checks=checks)

        check()
        ran += 1
    assert ran >= 8


def test_schema_is_served(api_schema) -> None:  # type: ignore[no-untyped-def]
    assert Path  # the module-level imports ran
    assert len(list(api_schema.get_all_operations())) >= 8
