"""Whether the published cells determine a protected value (an integer program per value), and
the cheapest blocks to suppress when one is (complementary suppression).

Made of `determine` (`Check`) and `plan` (the suppressions of each variable and the `Planner`);
every name is importable from here.
"""

from __future__ import annotations

from .determine import Check
from .plan import PLANS, Planner, block_cost, block_order, plan_key, plan_variable, quiet_solver, release, unions

__all__ = ["Check", "PLANS", "Planner", "block_cost", "block_order", "plan_key", "plan_variable", "quiet_solver",
           "release", "unions"]
