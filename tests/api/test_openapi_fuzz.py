"""schemathesis against the live server's /openapi.json: no 5xx, no answer that breaks its schema.

Bounded for CI: at most MESAI_FUZZ_EXAMPLES (default 20) generated requests per operation.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import LiveServer

EXAMPLES = int(os.environ.get("MESAI_FUZZ_EXAMPLES", "20"))


@pytest.mark.slow
def test_no_server_error_and_every_answer_matches_its_schema(local_server: LiveServer) -> None:
    schema = schemathesis.openapi.from_url(f"{local_server.url}/openapi.json")
    problems: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:

        @settings(
            max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
            phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance], timeout=120)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them all
            problems.append(f"{operation.label}: {str(exc)[:600]}")
    assert not problems, "\n\n".join(problems)
