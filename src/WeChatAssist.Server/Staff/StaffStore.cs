using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Staff;

/// <summary>A staff account. <see cref="PolicyId"/>, <see cref="Township"/> and <see cref="Village"/> bound what it sees.</summary>
internal sealed record StaffUser(long Id, string UserName, string PasswordHash, StaffRole Role, string? PolicyId, string? Township, string? Village, int FailedCount, DateTimeOffset? LockedUntil, DateTimeOffset? DisabledAt = null, string SecurityStamp = "");

/// <summary>Staff accounts in <c>staff_users</c>, passwords hashed with ASP.NET Core Identity's PBKDF2 <see cref="PasswordHasher{TUser}"/>.</summary>
internal sealed class StaffStore(DatabaseTarget database, TimeProvider clock)
{
    private const string Columns = "id, user_name, password_hash, role, policy_id, township, village, failed_count, locked_until, disabled_at, security_stamp";

    private static readonly PasswordHasher<StaffUser> Hasher = new();

    /// <summary>An account no one can sign in to, verified against when the user name is unknown.</summary>
    public static StaffUser DummyUser { get; } = new(0, "", Hasher.HashPassword(null!, Guid.NewGuid().ToString()), StaffRole.Village, null, null, null, 0, null);

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM staff_users";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Adds an account and returns its id; null when the user name is taken.</summary>
    public async Task<long?> CreateAsync(string userName, string password, StaffRole role, string? policyId, string? township, string? village, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO staff_users (user_name, password_hash, role, policy_id, township, village, failed_count, created_at, security_stamp)
            VALUES (@user, @hash, @role, @policy, @township, @village, 0, @now, @stamp) ON CONFLICT (user_name) DO NOTHING RETURNING id
            """;
        command.AddParameter("@stamp", NewStamp());
        command.AddParameter("@user", userName);
        command.AddParameter("@hash", Hasher.HashPassword(null!, password));
        command.AddParameter("@role", StaffClaims.Name(role));
        command.AddParameter("@policy", policyId);
        command.AddParameter("@township", township);
        command.AddParameter("@village", village);
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        var id = await command.ExecuteScalarAsync(cancellationToken);
        return id is null or DBNull ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<StaffUser?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM staff_users WHERE user_name = @user";
        command.AddParameter("@user", userName);
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<StaffUser?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM staff_users WHERE id = @id";
        command.AddParameter("@id", id);
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Accounts, optionally only one role within a county and township, by user name.</summary>
    public async Task<IReadOnlyList<StaffUser>> ListAsync(StaffRole? role, string? policyId, string? township, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM staff_users
            WHERE (@role IS NULL OR role = @role) AND (@policy IS NULL OR policy_id = @policy) AND (@township IS NULL OR township = @township)
            ORDER BY user_name
            """;
        command.AddText("@role", role is null ? null : StaffClaims.Name(role.Value));
        command.AddText("@policy", policyId);
        command.AddText("@township", township);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Disables or re-enables an account. Either way its stamp changes, so signed-in cookies stop working.</summary>
    public Task<bool> SetDisabledAsync(long id, bool disabled, CancellationToken cancellationToken) =>
        UpdateAsync(
            "UPDATE staff_users SET disabled_at = @now, security_stamp = @stamp WHERE id = @id",
            id,
            command =>
            {
                if (!disabled)
                {
                    command.Parameters["@now"].Value = DBNull.Value;
                }
            },
            cancellationToken);

    /// <summary>Sets a new password, clears any lockout, and ends the account's signed-in sessions.</summary>
    public Task<bool> ResetPasswordAsync(long id, string password, CancellationToken cancellationToken) =>
        UpdateAsync(
            "UPDATE staff_users SET password_hash = @hash, security_stamp = @stamp, failed_count = 0, locked_until = NULL WHERE id = @id",
            id,
            command => command.AddParameter("@hash", Hasher.HashPassword(null!, password)),
            cancellationToken);

    /// <summary>Lifts a lockout before it ends.</summary>
    public Task<bool> UnlockAsync(long id, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE id = @id", id, _ => { }, cancellationToken);

    public static bool VerifyPassword(StaffUser user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Counts a login attempt before the password is checked and returns the count since the last success
    /// or lockout, so parallel guesses each see the others and no more than the limit get checked. Null when the
    /// account is locked (checked in the same statement, so a lock set meanwhile is never missed).</summary>
    public async Task<int?> BeginAttemptAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE staff_users SET failed_count = failed_count + 1
            WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now)
            RETURNING failed_count
            """;
        command.AddParameter("@id", id);
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        var count = await command.ExecuteScalarAsync(cancellationToken);
        return count is null or DBNull ? null : Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Locks the account until <paramref name="until"/> and starts a new count for afterwards.</summary>
    public async Task LockAsync(long id, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE staff_users SET failed_count = 0, locked_until = @until WHERE id = @id";
        command.AddParameter("@id", id);
        command.AddInstant(database.Provider, "@until", until);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordSuccessAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE id = @id";
        command.AddParameter("@id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string NewStamp() => System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);

    private async Task<bool> UpdateAsync(string sql, long id, Action<DbCommand> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@id", id);
        command.AddParameter("@stamp", NewStamp());
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        parameters(command);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<List<StaffUser>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StaffUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StaffUser(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                StaffClaims.Parse(reader.GetString(3)) ?? StaffRole.Village,
                Text(reader, 4),
                Text(reader, 5),
                Text(reader, 6),
                reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetInstant(database.Provider, 8),
                reader.IsDBNull(9) ? null : reader.GetInstant(database.Provider, 9),
                reader.GetString(10)));
        }

        return rows;
    }
}
