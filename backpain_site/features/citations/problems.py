"""The kernel's problem type (backpain_site/kernel/problems.py), under the name this feature's modules import."""

from __future__ import annotations

from backpain_site.kernel.problems import Problem

__all__ = ["Problem"]
