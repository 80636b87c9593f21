"""Report tests."""
