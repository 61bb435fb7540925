using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Data;

/// <summary>Checks the provider and, through its engine, the connection string, naming the configuration key in every message.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        if (options.Engine is { } engine)
        {
            engine.Validate(options, failures);
        }
        else
        {
            failures.Add($"Database:Provider: '{options.Provider}' is not supported; use 'Sqlite' or 'Postgres'.");
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
