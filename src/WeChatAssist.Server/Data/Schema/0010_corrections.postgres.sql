-- Schema version 10 (postgres): registration corrections and payment intents. Filled in during the session that builds it.
SELECT 1;
