using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Data.Schema;

namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>Builds the data layer by hand, without a host, for tests that drive the migrator directly.</summary>
internal static class Databases
{
    public static DatabaseTarget Target(DatabaseProvider provider, string connectionString) =>
        DatabaseTarget.Create(Options(provider, connectionString), Path.GetTempPath());

    public static DatabaseOptions Options(DatabaseProvider provider, string connectionString, int maxAttempts = 3) => new()
    {
        Provider = provider.ToString(),
        ConnectionString = connectionString,
        ConnectRetry = { MaxAttempts = maxAttempts, InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) },
    };

    public static DatabaseConnector Connector(DatabaseTarget target, DatabaseOptions? options = null, ListLogger<DatabaseConnector>? logger = null) =>
        new(target, Microsoft.Extensions.Options.Options.Create(options ?? Options(target.Provider, target.ConnectionString)), TimeProvider.System, (ILogger<DatabaseConnector>?)logger ?? NullLogger<DatabaseConnector>.Instance);

    public static SchemaMigrator Migrator(DatabaseTarget target) =>
        new(target, Connector(target), SchemaCatalog.FromEmbeddedScripts(), TimeProvider.System, NullLogger<SchemaMigrator>.Instance);

    /// <summary>Runs a scalar query against the target.</summary>
    public static async Task<object?> ScalarAsync(DatabaseTarget target, string sql)
    {
        await using var command = target.DataSource.CreateCommand(sql);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }

    /// <summary>The rows of <c>schema_version</c> as versions, oldest first.</summary>
    public static async Task<List<int>> SchemaVersionsAsync(DatabaseTarget target)
    {
        await using var command = target.DataSource.CreateCommand("SELECT version FROM schema_version ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }

    public static IOptions<DatabaseOptions> Wrap(DatabaseOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}
