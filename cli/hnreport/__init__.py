"""hnreport — track a government work report's targets against the expected progress to date."""

__version__ = "0.1.0"
