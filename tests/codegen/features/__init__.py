"""``tests/specs/features/openapi.yaml`` compiled and driven over ``httpx.MockTransport``."""
