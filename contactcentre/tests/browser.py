"""What the browser tests share: logging a person in through the login page."""

from playwright.sync_api import Page

from staff.tests.factories import PASSWORD


def log_in(page: Page, url: str, email: str, password: str = PASSWORD, *, language: str = "en") -> None:
    """Log `email` in at the live server `url`, in `language`, starting from no session."""
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])
    page.goto(f"{url}/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
