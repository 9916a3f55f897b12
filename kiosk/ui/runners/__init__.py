"""Qt runners of Qt-free rules: each drives a ``kiosk.core`` policy or the ``voice`` package
from the Qt event loop (timers, signals, threads) and holds no rule of its own."""
