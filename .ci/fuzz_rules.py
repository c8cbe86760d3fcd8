"""schemathesis hooks for .ci/fuzz: positive-data acceptance, held to the rules the API writes down.

schemathesis's own `positive_data_acceptance` wants every request its schema calls valid to be
accepted (2xx, or 401/403/404/409/429). Some rules cannot be written as JSON Schema: a ubigeo
must name one of Peru's districts, a cursor must be one a list gave out, a payment's day must
fall near its contract's. An operation in openapi.yaml names each of those under `x-rules`
(the field, as the problem's `errors[].field` names it with `[]` for any index, or `(body)`,
and the rule). This check replaces schemathesis's: a schema-valid request may be refused only
with 422 and only on fields its operation's `x-rules` name.
"""
import re

import schemathesis
from schemathesis.specs.openapi.checks import is_unexpected_http_status_case

# What schemathesis's own check accepts for a well-formed request.
ACCEPTED = {401, 403, 404, 409, 429}


@schemathesis.check
def schema_valid_requests_are_refused_only_by_written_rules(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or is_unexpected_http_status_case(case):
        return None
    status = response.status_code
    if status < 400 or status in ACCEPTED or status >= 500:  # 5xx: not_a_server_error's
        return None
    rules = case.operation.definition.raw.get("x-rules") or {}
    fields = set()
    if status == 422:
        try:
            fields = {re.sub(r"\[\d+\]", "[]", error.get("field", "")) or "(body)" for error in response.json().get("errors", [])}
        except (ValueError, AttributeError):
            fields = set()
    unwritten = sorted(fields - set(rules)) if fields else ["(no field named)"]
    if status == 422 and fields and not unwritten:
        return None
    raise AssertionError(
        f"A request the schema calls valid was refused with {status} on {', '.join(unwritten)}: "
        f"write the rule into the schema, or name the field under this operation's x-rules")
