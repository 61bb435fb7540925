using Microsoft.Extensions.Options;
using Npgsql;

namespace WeChatAssist.Server.Data;

/// <summary>Checks the provider and connection string, naming the configuration key in every message.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        switch (options.ProviderKind)
        {
            case null:
                failures.Add($"Database:Provider: '{options.Provider}' is not supported; use 'Sqlite' or 'Postgres'.");
                break;
            case DatabaseProvider.Postgres when string.IsNullOrWhiteSpace(options.ConnectionString):
                failures.Add($"{DatabaseOptions.ConnectionStringKey}: is required when Database:Provider is 'Postgres' (set it in an environment variable or user secrets).");
                break;
            case DatabaseProvider.Postgres:
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    failures.Add($"{DatabaseOptions.ConnectionStringKey}: is not a valid PostgreSQL connection string ({ex.Message}).");
                }

                break;
            case DatabaseProvider.Sqlite when string.IsNullOrWhiteSpace(options.ConnectionString) && string.IsNullOrWhiteSpace(options.DataDirectory):
                failures.Add("Database:DataDirectory: must not be empty when no connection string is given.");
                break;
            case DatabaseProvider.Sqlite when !string.IsNullOrWhiteSpace(options.ConnectionString):
                try
                {
                    _ = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    // Usually a PostgreSQL connection string with Database:Provider left at its default.
                    failures.Add($"{DatabaseOptions.ConnectionStringKey}: is not a valid SQLite connection string ({ex.Message}); for PostgreSQL set Database:Provider to 'Postgres'.");
                }

                break;
        }

        var retry = options.ConnectRetry;
        if (retry.MaxAttempts is < 1 or > 1000)
        {
            failures.Add($"Database:ConnectRetry:MaxAttempts: {retry.MaxAttempts} is out of range; use 1 to 1000.");
        }

        if (retry.InitialDelay <= TimeSpan.Zero || retry.InitialDelay > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Database:ConnectRetry:InitialDelay: {retry.InitialDelay} is out of range; use more than 0 and at most 00:10:00.");
        }

        if (retry.MaxDelay < retry.InitialDelay)
        {
            failures.Add("Database:ConnectRetry:MaxDelay: must not be shorter than Database:ConnectRetry:InitialDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
