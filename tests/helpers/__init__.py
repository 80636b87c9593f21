"""Helpers shared by tests (not fixtures): canned honeypot actions built from an instance's entities."""
