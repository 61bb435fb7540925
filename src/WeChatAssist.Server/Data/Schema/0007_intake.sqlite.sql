-- Schema version 0007 (sqlite): data intake (registration corrections, payment intents, imports, category history). Filled in during the session that builds it.
SELECT 1;
