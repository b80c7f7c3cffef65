"""The test settings for a worker process started by test_worker.py: every email it sends is
written to a file in REPORTS_TEST_MAIL_DIR (the locmem outbox lives in the worker's memory, out of
the test's reach)."""

import os

from contactcentre.test_settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["REPORTS_TEST_MAIL_DIR"]
