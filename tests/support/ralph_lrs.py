"""Start ralph's LRS (ralph-malph 5.1.0, file backend) for the xAPI tests, in ralph's own
environment: `<ralph venv>/bin/python tests/support/ralph_lrs.py HOST PORT`, configured by the
RALPH_* environment variables as `ralph runserver` is.

One change from `ralph runserver`: its file backend writes with CREATE, which refuses a second
statement once the file exists ("already exists and overwrite is not allowed"), so a test LRS
would take one statement only. APPEND, which the backend's own documentation describes for adding
records to the file, is set as its default operation; validation, authentication and the xAPI
API are ralph's, unchanged. No reloader, so the setting holds in the serving process.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
