-- Schema version 0009 (postgres): cadre share links and the console. Filled in during the session that builds it.
SELECT 1;
