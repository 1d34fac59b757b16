"""Alerts: rules (parse, normalize, match), Slack/console notifiers, and the outbox dispatcher."""
