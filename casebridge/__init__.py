"""Casebridge: multi-agency case management along the prison-exit continuum."""

__version__ = "0.1.0"
