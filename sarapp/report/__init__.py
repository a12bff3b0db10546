"""The annual report: SAR figures of a year per RCC and per month, from the desk's own rows.

``sarapp.store.report_queries`` reads the rows; this package (no SQL, no Qt) turns them into
facts per case (``facts``), counts them into figures that name the cases they counted
(``figures``, ``people``, ``cooperation``), and lays them out as JSON and tables (``export``,
``tables``). The CLI and the app are faces over ``annual.annual_report``; definitions of
every figure are in ``docs/annual-report.md``.
"""

from sarapp.report.annual import ReportError, annual_report

__all__ = ["ReportError", "annual_report"]
