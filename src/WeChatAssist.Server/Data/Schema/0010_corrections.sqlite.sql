-- Schema version 10 (sqlite): registration corrections and payment intents. Filled in during the session that builds it.
SELECT 1;
