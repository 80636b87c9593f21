"""The report: one self-contained HTML page (figures embedded as base64 PNG) plus the PNG files.

``write_report(run_dir)`` reads ``RUN/results.parquet`` (written by ``teachwhy experiment run``), the cost ledger and
the stage markers, and writes ``RUN/report/report.html`` and ``RUN/report/*.png``.
"""

from teachwhy.report._demo import DemoResult, demo_result, result_line, result_section
from teachwhy.report._figures import FIGURES, pareto_front
from teachwhy.report._html import write_report

__all__ = ["FIGURES", "DemoResult", "demo_result", "pareto_front", "result_line", "result_section", "write_report"]
