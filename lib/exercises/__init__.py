"""Checks of the students' exercises, one module per lesson (``lib.exercises.perceptron`` …).

Every check speaks one language (``_common``): «Верно: …» when solved, «Пока не решено: …» for an untouched
stub (no traceback), «Не совсем: …» with a specific hint otherwise. Checks know the right answer only by
computing it with the lesson's module in ``lib``; no reference solution lives here (the teacher's edition
holds them, in ``notebooks/.src``).
"""
