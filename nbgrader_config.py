"""nbgrader settings for grading this course (copy next to your nbgrader course's source/ folder).

The stub is the one the course's own student edition has (scripts/build_notebooks.py): a `...` that lets
«Run All» reach the end of a lesson, instead of nbgrader's default `raise NotImplementedError()`.
"""

c = get_config()  # noqa: F821 (nbgrader defines it)
c.ClearSolutions.code_stub = {"python": "# Ваш код здесь\n..."}
c.ClearSolutions.text_stub = "_Ваш ответ здесь._"
# trainings inside the lessons take seconds, not nbgrader's default 30 s per cell limit
c.ExecutePreprocessor.timeout = 600
