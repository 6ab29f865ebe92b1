"""Test package (importable so helpers can be shared: ``tests.servers``, ``tests.support``)."""
