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

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff_users", null, cancellationToken);

    /// <summary>Adds an account and returns its id; null when the user name is taken.</summary>
    public Task<long?> CreateAsync(string userName, string password, StaffRole role, string? policyId, string? township, string? village, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<long?>(
            """
            INSERT INTO staff_users (user_name, password_hash, role, policy_id, township, village, failed_count, created_at, security_stamp)
            VALUES (@userName, @hash, @role, @policyId, @township, @village, 0, @now, @stamp) ON CONFLICT (user_name) DO NOTHING RETURNING id
            """,
            new { stamp = NewStamp(), userName, hash = Hasher.HashPassword(null!, password), role = StaffClaims.Name(role), policyId, township, village, now = clock.GetUtcNow() },
            cancellationToken);

    public async Task<StaffUser?> FindAsync(string userName, CancellationToken cancellationToken) =>
        ToUser(await database.QuerySingleOrDefaultAsync<StaffRow>($"SELECT {Columns} FROM staff_users WHERE user_name = @userName", new { userName }, cancellationToken));

    public async Task<StaffUser?> GetAsync(long id, CancellationToken cancellationToken) =>
        ToUser(await database.QuerySingleOrDefaultAsync<StaffRow>($"SELECT {Columns} FROM staff_users WHERE id = @id", new { id }, cancellationToken));

    /// <summary>Accounts, optionally only one role within a county and township, by user name.</summary>
    public async Task<IReadOnlyList<StaffUser>> ListAsync(StaffRole? role, string? policyId, string? township, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<StaffRow>(
            $"""
            SELECT {Columns} FROM staff_users
            WHERE (@role IS NULL OR role = @role) AND (@policyId IS NULL OR policy_id = @policyId) AND (@township IS NULL OR township = @township)
            ORDER BY user_name
            """,
            new { role = role is null ? null : StaffClaims.Name(role.Value), policyId, township },
            cancellationToken);
        return rows.ConvertAll(row => ToUser(row)!);
    }

    /// <summary>Disables or re-enables an account. Either way its stamp changes, so signed-in cookies stop working.</summary>
    public async Task<bool> SetDisabledAsync(long id, bool disabled, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE staff_users SET disabled_at = @disabledAt, security_stamp = @stamp WHERE id = @id",
            new { id, stamp = NewStamp(), disabledAt = disabled ? clock.GetUtcNow() : (DateTimeOffset?)null },
            cancellationToken) == 1;

    /// <summary>Sets a new password, clears any lockout, and ends the account's signed-in sessions.</summary>
    public async Task<bool> ResetPasswordAsync(long id, string password, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE staff_users SET password_hash = @hash, security_stamp = @stamp, failed_count = 0, locked_until = NULL WHERE id = @id",
            new { id, stamp = NewStamp(), hash = Hasher.HashPassword(null!, password) },
            cancellationToken) == 1;

    /// <summary>Lifts a lockout before it ends.</summary>
    public async Task<bool> UnlockAsync(long id, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE id = @id", new { id }, cancellationToken) == 1;

    public static bool VerifyPassword(StaffUser user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Counts a login attempt before the password is checked and returns the count since the last success
    /// or lockout, so parallel guesses each see the others and no more than the limit get checked. Null when the
    /// account is locked (checked in the same statement, so a lock set meanwhile is never missed).</summary>
    public Task<int?> BeginAttemptAsync(long id, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<int?>(
            """
            UPDATE staff_users SET failed_count = failed_count + 1
            WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now)
            RETURNING failed_count
            """,
            new { id, now = clock.GetUtcNow() },
            cancellationToken);

    /// <summary>Locks the account until <paramref name="until"/> and starts a new count for afterwards.</summary>
    public Task LockAsync(long id, DateTimeOffset until, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE staff_users SET failed_count = 0, locked_until = @until WHERE id = @id", new { id, until }, cancellationToken);

    public Task RecordSuccessAsync(long id, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE id = @id", new { id }, cancellationToken);

    private static string NewStamp() => System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);

    private static StaffUser? ToUser(StaffRow? row) => row is null ? null : new StaffUser(
        row.Id,
        row.UserName,
        row.PasswordHash,
        StaffClaims.Parse(row.Role) ?? StaffRole.Village,
        row.PolicyId,
        row.Township,
        row.Village,
        row.FailedCount,
        row.LockedUntil,
        row.DisabledAt,
        row.SecurityStamp);

    /// <summary>A <c>staff_users</c> row as stored (<see cref="Columns"/>, in order).</summary>
    private sealed record StaffRow(long Id, string UserName, string PasswordHash, string Role, string? PolicyId, string? Township, string? Village, int FailedCount, DateTimeOffset? LockedUntil, DateTimeOffset? DisabledAt, string SecurityStamp);
}
