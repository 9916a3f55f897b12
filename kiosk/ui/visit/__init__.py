"""The patient's screens, one module each, and the flow that leads a visit through them.

attract → check-in → (carry on?) → today's program → player → totals → attract; the order
after check-in is :mod:`kiosk.ui.visit.flow`'s.
"""
