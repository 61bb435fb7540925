-- Schema version 0008 (sqlite): reminders and broadcasts (outbox, preferences, budgets, broadcasts). Filled in during the session that builds it.
SELECT 1;
