-- Schema version 1 (SQLite): the app_settings table.
--
-- Until schema 15 this version also created the job-store tables of the scheduler that Hangfire replaced (prefix
-- QRTZ_); version 15 drops them. This text was shortened then, the one exception to "released versions are
-- immutable": databases that applied the earlier text are recognised by its recorded checksum (SchemaCatalog).
--;;
-- Key/value settings staff change at run time (feature flags, notices); EF Core maps it as AppSetting.
CREATE TABLE app_settings (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
