"""Qualitative research: themes (shared by complaint categories, focus groups and comment coding, so
that what members say and what they score line up), focus groups and panels, and comment coding."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from calls.models import ComplaintCategory
from contactcentre.constraints import choices_check


class Theme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ar = models.CharField(_("name in Arabic"), max_length=120, blank=True)
    # The complaint category this theme is counted with, so complaints line up with comments.
    complaint_category = models.CharField(
        _("complaint category"), max_length=20, choices=ComplaintCategory.choices, blank=True
    )
    # Words that suggest the theme in a comment, English or Arabic, one per line (surveys/rules/coding.py).
    keywords = models.TextField(_("keywords"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]
        constraints = [choices_check("complaint_category", ComplaintCategory, "theme_category_valid", blank=True)]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    FOCUS_GROUP = "focus_group", _("Focus group")
    PANEL = "panel", _("Customer panel")


class FocusGroup(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.FOCUS_GROUP)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    site = models.ForeignKey(
        "staff.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitator"), on_delete=models.PROTECT, related_name="+"
    )
    topic_guide = models.TextField(_("topic guide"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("focus group")
        verbose_name_plural = _("focus groups")
        ordering = ["-held_on", "-id"]
        constraints = [choices_check("kind", SessionKind, "focus_group_kind_valid")]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A member who took part; only members who consented to research are added."""

    focus_group = models.ForeignKey(
        FocusGroup, verbose_name=_("focus group"), on_delete=models.CASCADE, related_name="participants"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("member"), on_delete=models.PROTECT, related_name="focus_groups"
    )
    attended = models.BooleanField(_("attended"), default=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["focus_group", "customer"], name="participant_unique")]

    def __str__(self) -> str:
        return str(self.customer_id)


class FindingTheme(models.Model):
    """A theme coded from a focus group, with what was said."""

    focus_group = models.ForeignKey(
        FocusGroup, verbose_name=_("focus group"), on_delete=models.CASCADE, related_name="findings"
    )
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="findings")
    evidence = models.TextField(_("what was said"), blank=True)
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    coded_at = models.DateTimeField(_("coded"), auto_now_add=True)

    class Meta:
        verbose_name = _("focus group theme")
        verbose_name_plural = _("focus group themes")
        constraints = [models.UniqueConstraint(fields=["focus_group", "theme"], name="finding_theme_unique")]

    def __str__(self) -> str:
        return f"{self.focus_group_id}: {self.theme_id}"


class CommentCode(models.Model):
    """A free-text answer coded to a theme by a member of staff."""

    answer = models.ForeignKey(
        "surveys.Answer", verbose_name=_("comment"), on_delete=models.CASCADE, related_name="codes"
    )
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="comment_codes")
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    coded_at = models.DateTimeField(_("coded"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment code")
        verbose_name_plural = _("comment codes")
        constraints = [models.UniqueConstraint(fields=["answer", "theme"], name="comment_code_unique")]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.theme_id}"
