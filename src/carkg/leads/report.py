"""A model's time-split metrics as one table, the model and the rule baseline side by side: what
`carkg leads train|report` and `carkg bench leads` print."""

from __future__ import annotations

from rich.table import Table

from carkg.leads.model import LeadModel


def metrics_table(model: LeadModel) -> Table:
    m = model.metrics
    table = Table(title=f"Lead model {model.version}: time split at {model.split_at[:10]} "
                        f"(train {m.train_leads} leads / {m.train_conversions} converted, "
                        f"test {m.test_leads} / {m.test_conversions})")
    for col in ("scorer", "AUC", "top-decile lift", "base rate"):
        table.add_column(col)
    table.add_row("gradient-boosted trees", f"{m.auc:.3f}", f"{m.top_decile_lift:.2f}×", f"{m.base_rate:.1%}")
    table.add_row("rule baseline (points per action)", f"{m.auc_rule_baseline:.3f}",
                  f"{m.top_decile_lift_rule_baseline:.2f}×", f"{m.base_rate:.1%}")
    return table


__all__ = ["metrics_table"]
