"""One family of errors for everything a user or an author can get wrong.

Every error knows where it happened (file, line, question) so the message a person
reads points at the place to look, and no traceback is ever needed.
"""

from __future__ import annotations

from pathlib import Path


class CoachError(Exception):
    """A mistake in input, data or environment that a person can fix.

    ``str()`` reads ``path:line: vraag 'id': message``, leaving out what is unknown.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        question: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.question = question

    def __str__(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            parts.append(f"{self.path}:{self.line}" if self.line else self.path)
        if self.question is not None:
            parts.append(f"vraag '{self.question}'")
        parts.append(self.message)
        return ": ".join(parts)


class DialogueError(CoachError):
    """A dialogue, catalogue or probe file that cannot be used as written."""


class ExpressionError(DialogueError):
    """An expression or template in a dialogue that fails to compile or run."""


class AnswerError(CoachError):
    """An answer that does not fit its question."""


class MissingAnswerError(AnswerError):
    """A reached question that an answers file does not answer (exit 2)."""

    exit_code = 2


class TranscriptError(CoachError):
    """A transcript that cannot be read, written or trusted."""


class TranscriptDamaged(TranscriptError):
    """A transcript that was cut short, edited by hand or otherwise broken.

    The file is never changed; ``coach resume SESSION --recover`` copies what can
    still be read into a new session.
    """


class TranscriptConflict(TranscriptError):
    """The file on disk was changed by someone else since this session last saved it."""


class TemplateError(CoachError):
    """A wording or report template that fails."""


class ReportError(CoachError):
    """Input to a report that cannot be used."""


class UsageError(CoachError):
    """A command line that asks for something impossible (exit 2)."""

    exit_code = 2


class CheckFailed(CoachError):
    """Several problems found at once (``coach check``); each is a CoachError."""

    def __init__(self, problems: list[CoachError]) -> None:
        super().__init__(f"{len(problems)} problem(s) found")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
