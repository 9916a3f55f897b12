"""The kiosk's voice: offline speech, tones and their timing. No Qt here (import-linter checks).

* ``settings`` — staff defaults (TOML file, environment) and the patient's changes.
* ``synth``, ``pyttsx3_backend``, ``pyttsx3_worker``, ``piper_backend``, ``piper_worker`` —
  speech backends: the espeak-ng command, and pyttsx3 and Piper (the natural voice) each in a
  worker process that can be killed, over the pipe in ``worker_pipe``.
* ``cache`` — rendered WAVs on disk, keyed by backend/voice/rate/text, atomic, bounded.
* ``renderer`` — the background thread that renders (cache, then the backends in order).
* ``wav``, ``tones`` — plain-Python PCM helpers; the tones, generated in code.
* ``output`` — pygame.mixer, opened once: a speech channel and a tone channel.
* ``scheduler`` — the engine listener that plays a due cue or drops it (priorities, staleness).
* ``service`` — ties them together for the kiosk, ``kiosk rehearse`` and the benchmark.
* ``device_clock``, ``sound_clock`` — the frames the sound device has taken, and the session's
  one clock built on them (docs/voice.md, "One clock").
* ``recording`` — SDL's disk audio driver and its clock: what was played, and when.

See ``docs/voice.md``.
"""
