"""The pain chart on a patient's progress: pain before and after each session, 0–10, over
the period's days.

QtCharts is imported here and nowhere before: this module loads when the Progress tab is
first opened, never at start-up. The chart tells the two lines apart by name, marker and
dash as well as colour, and names its days through the catalog rather than Qt's locale.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from db.repositories.progress import PainPoint
from kiosk.text import t
from kiosk.text.dates import day_month
from kiosk.ui.theme import Theme

#: The chart's x axis names at most this many days.
AXIS_LABELS = 6


def _days_since(moment: datetime, first: datetime) -> float:
    """Where ``moment`` goes on the chart's x axis: days since the period began."""
    return (moment - first).total_seconds() / 86_400


class QtPainChart(QChartView):
    """Pain before and after each session, 0–10, over the period's days."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self.setObjectName("PainChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        p, m = theme.palette, theme.metrics
        chart = self.chart_
        chart.setBackgroundBrush(QColor(p.surface))
        chart.setBackgroundRoundness(m.radius)
        chart.setMargins(
            QMargins(m.spacing_small, m.spacing_small, m.spacing_small, m.spacing_small)
        )
        # The title is a label above the chart (it wraps); ticks a size below body text.
        self._font = QFont()
        self._font.setPixelSize(max(16, m.px(26)))
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        legend.setFont(self._font)
        legend.setLabelColor(QColor(p.text))
        self.before = self._series(
            t("staff.progress.before"), p.left, Qt.PenStyle.SolidLine, m.px(6)
        )
        self.after = self._series(t("staff.progress.after"), p.right, Qt.PenStyle.DashLine, m.px(6))
        # Days since the period's start, named by the catalog (a date axis would name the
        # months in Qt's locale, not the kiosk's language).
        self.x_axis = QCategoryAxis()
        self.x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 10)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d")
        for axis, where in (
            (self.x_axis, Qt.AlignmentFlag.AlignBottom),
            (self.y_axis, Qt.AlignmentFlag.AlignLeft),
        ):
            axis.setLabelsFont(self._font)
            axis.setLabelsColor(QColor(p.text))
            axis.setGridLineColor(QColor(p.surface_border))
            axis.setLinePenColor(QColor(p.muted))
            chart.addAxis(axis, where)
        for series in (self.before, self.after):
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.setMinimumHeight(m.px(460))

    def _series(self, name: str, color: str, style: Qt.PenStyle, width: int) -> QLineSeries:
        series = QLineSeries()
        series.setName(name)
        pen = QPen(QColor(color))
        pen.setWidth(width)
        pen.setStyle(style)
        series.setPen(pen)
        series.setPointsVisible(True)
        series.setMarkerSize(width * 3)
        return series

    def show_points(self, points: tuple[PainPoint, ...], start: date, end: date) -> None:
        self.before.clear()
        self.after.clear()
        first = datetime.combine(start, time.min).astimezone()
        for point in points:
            x = _days_since(point.started_at, first)
            if point.before is not None:
                self.before.append(x, point.before)
            if point.after is not None:
                self.after.append(x, point.after)
        days = (end - start).days + 1
        for label in self.x_axis.categoriesLabels():
            self.x_axis.remove(label)
        self.x_axis.setStartValue(0)
        step = -(-days // AXIS_LABELS)  # rounded up: never more labels than fit
        for offset in range(0, days, step):
            self.x_axis.append(day_month(start + timedelta(days=offset)), offset)
        self.x_axis.setRange(0, days)
