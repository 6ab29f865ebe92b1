"""The OpenAPI -> typed Python client compiler (`python -m codegen`)."""
