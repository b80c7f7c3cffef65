"""The monthly rollups, filled from the daily rollups already kept (services/rollups_monthly.py does
the same after every rebuild of a day)."""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models

# (daily model, monthly model, the keys a month's rows are grouped by): models.rollups.MONTHLY as of now.
PAIRS = [
    ("DailyRollup", "MonthlyRollup", ("queue_id", "site_id", "plan_tier", "is_corporate")),
    ("AgentDailyRollup", "AgentMonthlyRollup", ("agent_id", "queue_id", "team_id", "site_id")),
    ("AgentStateDaily", "AgentStateMonthly", ("agent_id", "team_id", "site_id")),
]


def fill_months(apps, schema_editor):
    from performance.services.rollups_monthly import months_rollup

    pairs = [(apps.get_model("performance", d), apps.get_model("performance", m), keys) for d, m, keys in PAIRS]
    months = set()
    for daily, _monthly, _keys in pairs:
        months |= set(daily.objects.dates("day", "month"))
    months_rollup(months, pairs=pairs)


class Migration(migrations.Migration):

    dependencies = [
        ('calls', '0009_queue_site'),
        ('performance', '0004_rollup_mark_version'),
        ('staff', '0004_training_need_one_open_renewal'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AgentMonthlyRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('contacts', models.PositiveIntegerField(default=0, verbose_name='contacts (all channels)')),
                ('offered', models.PositiveIntegerField(default=0, verbose_name='offered')),
                ('answered', models.PositiveIntegerField(default=0, verbose_name='answered')),
                ('answered_in_threshold', models.PositiveIntegerField(default=0, verbose_name='answered within the threshold')),
                ('abandoned', models.PositiveIntegerField(default=0, verbose_name='abandoned')),
                ('abandoned_in_threshold', models.PositiveIntegerField(default=0, verbose_name='abandoned within the threshold')),
                ('short_abandoned', models.PositiveIntegerField(default=0, verbose_name='short abandons')),
                ('wait_answered_seconds', models.PositiveBigIntegerField(default=0, verbose_name='queue wait of answered calls (s)')),
                ('handled', models.PositiveIntegerField(default=0, verbose_name='handled')),
                ('talk_seconds', models.PositiveBigIntegerField(default=0, verbose_name='talk (s)')),
                ('hold_seconds', models.PositiveBigIntegerField(default=0, verbose_name='hold (s)')),
                ('wrap_up_seconds', models.PositiveBigIntegerField(default=0, verbose_name='wrap-up (s)')),
                ('transferred', models.PositiveIntegerField(default=0, verbose_name='transferred')),
                ('fcr_eligible', models.PositiveIntegerField(default=0, verbose_name='handled for identified members')),
                ('fcr_resolved', models.PositiveIntegerField(default=0, verbose_name='no repeat contact within 7 days')),
                ('agent_fcr_answered', models.PositiveIntegerField(default=0, verbose_name="agent answered 'resolved at first contact'")),
                ('agent_fcr_yes', models.PositiveIntegerField(default=0, verbose_name='agent said resolved at first contact')),
                ('month', models.DateField(verbose_name='month')),
                ('agent', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='agent')),
                ('queue', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='calls.queue', verbose_name='queue')),
                ('site', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='staff.site', verbose_name='site')),
                ('team', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='staff.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'agent monthly rollup',
                'verbose_name_plural': 'agent monthly rollups',
                'indexes': [models.Index(fields=['month', 'team'], name='agent_monthly_month_team_idx'), models.Index(fields=['month', 'agent'], name='agent_monthly_month_agent_idx')],
            },
        ),
        migrations.CreateModel(
            name='AgentStateMonthly',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('available_seconds', models.PositiveBigIntegerField(default=0, verbose_name='available (s)')),
                ('on_call_seconds', models.PositiveBigIntegerField(default=0, verbose_name='on a call (s)')),
                ('wrap_up_seconds', models.PositiveBigIntegerField(default=0, verbose_name='wrap-up (s)')),
                ('break_seconds', models.PositiveBigIntegerField(default=0, verbose_name='break (s)')),
                ('training_seconds', models.PositiveBigIntegerField(default=0, verbose_name='training (s)')),
                ('agent', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='agent')),
                ('site', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='staff.site', verbose_name='site')),
                ('team', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='staff.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'agent state month',
                'verbose_name_plural': 'agent state months',
                'indexes': [models.Index(fields=['month', 'team'], name='agent_state_month_team_idx'), models.Index(fields=['month', 'agent'], name='agent_state_month_agent_idx')],
            },
        ),
        migrations.CreateModel(
            name='MonthlyRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('contacts', models.PositiveIntegerField(default=0, verbose_name='contacts (all channels)')),
                ('offered', models.PositiveIntegerField(default=0, verbose_name='offered')),
                ('answered', models.PositiveIntegerField(default=0, verbose_name='answered')),
                ('answered_in_threshold', models.PositiveIntegerField(default=0, verbose_name='answered within the threshold')),
                ('abandoned', models.PositiveIntegerField(default=0, verbose_name='abandoned')),
                ('abandoned_in_threshold', models.PositiveIntegerField(default=0, verbose_name='abandoned within the threshold')),
                ('short_abandoned', models.PositiveIntegerField(default=0, verbose_name='short abandons')),
                ('wait_answered_seconds', models.PositiveBigIntegerField(default=0, verbose_name='queue wait of answered calls (s)')),
                ('handled', models.PositiveIntegerField(default=0, verbose_name='handled')),
                ('talk_seconds', models.PositiveBigIntegerField(default=0, verbose_name='talk (s)')),
                ('hold_seconds', models.PositiveBigIntegerField(default=0, verbose_name='hold (s)')),
                ('wrap_up_seconds', models.PositiveBigIntegerField(default=0, verbose_name='wrap-up (s)')),
                ('transferred', models.PositiveIntegerField(default=0, verbose_name='transferred')),
                ('fcr_eligible', models.PositiveIntegerField(default=0, verbose_name='handled for identified members')),
                ('fcr_resolved', models.PositiveIntegerField(default=0, verbose_name='no repeat contact within 7 days')),
                ('agent_fcr_answered', models.PositiveIntegerField(default=0, verbose_name="agent answered 'resolved at first contact'")),
                ('agent_fcr_yes', models.PositiveIntegerField(default=0, verbose_name='agent said resolved at first contact')),
                ('month', models.DateField(verbose_name='month')),
                ('plan_tier', models.CharField(blank=True, choices=[('essential', 'Essential'), ('standard', 'Standard'), ('premier', 'Premier')], max_length=20, verbose_name='plan tier')),
                ('is_corporate', models.BooleanField(null=True, verbose_name='corporate member')),
                ('queue', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='calls.queue', verbose_name='queue')),
                ('site', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='staff.site', verbose_name='site')),
            ],
            options={
                'verbose_name': 'monthly rollup',
                'verbose_name_plural': 'monthly rollups',
                'indexes': [models.Index(fields=['month'], name='monthly_rollup_month_idx')],
                'constraints': [models.UniqueConstraint(models.F('month'), django.db.models.functions.comparison.Coalesce(models.F('queue'), models.Value(0)), django.db.models.functions.comparison.Coalesce(models.F('site'), models.Value(0)), models.F('plan_tier'), django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.Cast('is_corporate', models.IntegerField()), models.Value(-1)), name='monthly_rollup_unique'), models.CheckConstraint(condition=models.Q(('plan_tier__in', ['essential', 'standard', 'premier']), ('plan_tier', ''), _connector='OR'), name='monthly_rollup_tier_valid')],
            },
        ),
        migrations.RunPython(fill_months, migrations.RunPython.noop),
    ]
