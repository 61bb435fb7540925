using Dapper;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>How a bound person relates to the WeChat user.</summary>
internal enum BindingRelation
{
    Self,
    Family,
}

/// <summary>A resident bound to a WeChat user.</summary>
internal sealed record ResidentBinding(long Id, long ResidentId, BindingRelation Relation, DateTimeOffset CreatedAt);

/// <summary><c>resident_bindings</c> and the attempts in <c>binding_attempts</c> that rate-limit them.</summary>
internal sealed class BindingStore(DatabaseTarget database, TimeProvider clock)
{
    /// <summary>Bindings of this OpenID, and — when WeChat gave a unionid — of every OpenID of the same person
    /// (official account and mini-program), each resident once.</summary>
    public async Task<IReadOnlyList<ResidentBinding>> ListAsync(string appId, string openId, string? unionId, CancellationToken cancellationToken)
    {
        // relation is 'self' or 'family', which Dapper maps to the enum by name.
        var rows = await database.QueryAsync<ResidentBinding>(
            """
            SELECT id, resident_id, relation, created_at FROM resident_bindings
            WHERE (app_id = @appId AND open_id = @openId) OR (@unionId IS NOT NULL AND union_id = @unionId)
            ORDER BY id
            """,
            new { appId, openId, unionId },
            cancellationToken);
        return [.. rows.DistinctBy(r => r.ResidentId)];
    }

    /// <summary>Adds the binding and marks the attempt that proved it, if any, succeeded in the same round trip (and, on
    /// PostgreSQL, the same implicit transaction).</summary>
    public async Task<long> AddAsync(string appId, string openId, string? unionId, long residentId, BindingRelation relation, long? succeededAttemptId, CancellationToken cancellationToken)
    {
        // Both drivers position the reader on the first statement that returns rows, the INSERT's RETURNING.
        var sql = (succeededAttemptId is null ? "" : "UPDATE binding_attempts SET success = @succeeded WHERE id = @succeededAttemptId;\n") + """
            INSERT INTO resident_bindings (app_id, open_id, union_id, resident_id, relation, created_at)
            VALUES (@appId, @openId, @unionId, @residentId, @relation, @now) RETURNING id;
            """;
        return await database.QuerySingleOrDefaultAsync<long?>(
            sql,
            new
            {
                appId,
                openId,
                unionId,
                residentId,
                relation = relation == BindingRelation.Self ? "self" : "family",
                now = clock.GetUtcNow(),
                succeededAttemptId,
                succeeded = database.Dialect.Flag(true),
            },
            cancellationToken) ?? throw new InvalidOperationException("Inserting a binding returned no id.");
    }

    /// <summary>Records an attempt as failed before it is checked, so parallel requests all see each other, and in the
    /// same round trip counts this OpenID's failures since <paramref name="since"/> (this attempt included) and the
    /// oldest of them; <see cref="MarkSucceededAsync"/> or <see cref="ForgetAsync"/> settle the attempt.</summary>
    public async Task<(long AttemptId, int Failures, DateTimeOffset? Oldest)> BeginAttemptAsync(string appId, string openId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);

        // Two statements, one round trip: the count runs after the insert and sees it.
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            INSERT INTO binding_attempts (app_id, open_id, at, success) VALUES (@appId, @openId, @now, @failed) RETURNING id;
            SELECT COUNT(*) AS failures, MIN(at) AS oldest FROM binding_attempts WHERE app_id = @appId AND open_id = @openId AND success = @failed AND at > @since;
            """,
            new { appId, openId, now = clock.GetUtcNow(), since, failed = database.Dialect.Flag(false) },
            cancellationToken: cancellationToken));
        var id = await results.ReadSingleAsync<long>();
        var (failures, oldest) = await results.ReadSingleAsync<(int Failures, DateTimeOffset? Oldest)>();
        return (id, failures, failures == 0 ? null : oldest);
    }

    public Task MarkSucceededAsync(long attemptId, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE binding_attempts SET success = @succeeded WHERE id = @attemptId", new { attemptId, succeeded = database.Dialect.Flag(true) }, cancellationToken);

    /// <summary>Drops an attempt refused while locked: retrying during a lockout does not prolong it.</summary>
    public Task ForgetAsync(long attemptId, CancellationToken cancellationToken) =>
        database.ExecuteAsync("DELETE FROM binding_attempts WHERE id = @attemptId", new { attemptId }, cancellationToken);
}
