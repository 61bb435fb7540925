using Npgsql;

namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>The throwaway PostgreSQL that ./test.sh starts. Hands out fresh, uniquely named databases and drops
/// them afterwards. Without <c>WECHATASSIST_TEST_POSTGRES</c> every test using it fails, saying how to run.</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "WECHATASSIST_TEST_POSTGRES";

    private readonly List<string> _databases = [];
    private string? _serverConnectionString;

    public Task InitializeAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(_serverConnectionString))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run ./test.sh from the repository root: it starts a throwaway PostgreSQL 15 and sets it.");
        }

        return Task.CompletedTask;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"wca_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_serverConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_serverConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
