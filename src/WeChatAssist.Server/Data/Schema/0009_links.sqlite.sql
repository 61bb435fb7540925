-- Schema version 0009 (sqlite): cadre share links and the console. Filled in during the session that builds it.
SELECT 1;
