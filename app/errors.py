"""Domain errors: services raise them; the app turns them into a message or a 4xx."""


class DomainError(Exception):
    """A refused action whose message is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
