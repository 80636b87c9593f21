"""inspect_ai entry point: importing this registers teachwhy's tasks."""
