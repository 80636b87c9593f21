"""teachwhy: principled alignment training — evaluate, generate data, train, compare."""

__version__ = "0.1.0"

__all__ = ["__version__"]
