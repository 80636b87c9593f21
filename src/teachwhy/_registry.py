"""inspect_ai entry point: importing this registers teachwhy's tasks."""
from teachwhy.evals.assessment import assessment  # noqa: F401  (issue 4)
from teachwhy.evals.constitution_eval import constitution_adherence  # noqa: F401  (issue 4)
from teachwhy.evals.honeypots import honeypots  # noqa: F401
