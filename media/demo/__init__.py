"""Animated demonstrations: a friendly drawn coach for every exercise in the library.

Layers (only the last imports Qt; ``pyproject.toml``'s import contracts hold them to it):

* :mod:`media.demo.body` — the figure: a pose in joint angles, forward kinematics;
* :mod:`media.demo.model`, :mod:`media.demo.motion` — keyframes, props, cameras; where the
  figure is at a phase and moment of the session;
* :mod:`media.demo.lying`, :mod:`~media.demo.standing`, :mod:`~media.demo.floor`,
  :mod:`~media.demo.catalog` — the demonstrations themselves, by exercise id;
* :mod:`media.demo.shapes`, :mod:`~media.demo.props`, :mod:`~media.demo.scene` — a frame laid
  out as flat shapes in pixels (camera, mirror, depth order, colours);
* :mod:`media.demo.renderer` — QPainter.

The rest of the kiosk paints through :mod:`media.demo.renderer` (``render_thumbnail`` for
the cards and the handout, ``paint_frame`` for the player); importing the package itself
imports nothing. See ``docs/demonstrations.md``.
"""
