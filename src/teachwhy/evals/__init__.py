"""Evaluations: honeypots (in distribution), the held-out assessment and constitution adherence."""
