"""The quality figures drawn as PNG charts (matplotlib's Agg backend: no window, no network)."""

from __future__ import annotations

import io
from typing import Any

from bot.staff.dashboard import Dashboard

CHARTS = ("samtaler", "overlevering", "forsto-ikke", "vurderinger", "knapper")
CHART_TITLES = {
    "samtaler": "Samtaler per uke",
    "overlevering": "Samtaler der brukeren ba om en veileder, per uke",
    "forsto-ikke": "Andel meldinger chatboten ikke forsto, per uke",
    "vurderinger": "Gjennomsnittlig vurdering per uke (1–5)",
    "knapper": "Karriereknapper: startet og fullført",
}
BLUE, ORANGE, GREY = "#1d4f91", "#b34a00", "#5a5a5a"


def chart_png(name: str, dashboard: Dashboard) -> bytes:
    """One chart as a PNG (matplotlib's Agg backend, no window, no network)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # type: ignore[import-untyped]
    from matplotlib.figure import Figure  # type: ignore[import-untyped]

    figure = Figure(figsize=(7.5, 3.4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    axes.set_title(CHART_TITLES[name], fontsize=12, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if name == "knapper":
        rows = dashboard.knapper
        positions = list(range(len(rows)))
        axes.barh([p + 0.2 for p in positions], [r.started for r in rows], height=0.4, color=BLUE, label="Startet")
        axes.barh([p - 0.2 for p in positions], [r.finished for r in rows], height=0.4, color=ORANGE, label="Fullført")
        axes.set_yticks(positions)
        axes.set_yticklabels([r.title for r in rows])
        axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    else:
        _weekly(axes, name, dashboard)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _weekly(axes: Any, name: str, dashboard: Dashboard) -> None:
    """Charts with one point or bar per week."""
    if name == "vurderinger":
        labels = [f"u{r.week}" for r in dashboard.rating_weeks]
        values = [r.average for r in dashboard.rating_weeks]
        axes.plot(labels, [v if v is not None else float("nan") for v in values], marker="o", color=BLUE)
        axes.set_ylim(1, 5)
    else:
        labels = [f"u{r.week}" for r in dashboard.weeks]
        if name == "forsto-ikke":
            rates = [r.fallback_rate for r in dashboard.weeks]
            axes.plot(labels, [100 * v if v is not None else float("nan") for v in rates], marker="o", color=ORANGE)
            axes.set_ylabel("prosent")
            axes.set_ylim(bottom=0)
        else:
            counts = [r.conversations if name == "samtaler" else r.handovers for r in dashboard.weeks]
            axes.bar(labels, counts, color=BLUE if name == "samtaler" else GREY)
            axes.yaxis.get_major_locator().set_params(integer=True)
    if not labels:
        axes.text(0.5, 0.5, "Ingen tall ennå", ha="center", va="center", transform=axes.transAxes)
    if len(labels) > 12:
        axes.tick_params(axis="x", labelrotation=90)
