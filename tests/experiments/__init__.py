"""Experiment tests (a package so the report tests can import the scripted runner)."""
