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
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, resident_id, relation, created_at FROM resident_bindings
            WHERE (app_id = @app AND open_id = @open) OR (@union IS NOT NULL AND union_id = @union)
            ORDER BY id
            """;
        command.AddParameter("@app", appId);
        command.AddParameter("@open", openId);
        command.AddText("@union", unionId);
        var rows = new List<ResidentBinding>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ResidentBinding(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2) == "self" ? BindingRelation.Self : BindingRelation.Family,
                reader.GetInstant(database.Provider, 3)));
        }

        return [.. rows.DistinctBy(r => r.ResidentId)];
    }

    /// <summary>Adds the binding and marks the attempt that proved it, if any, succeeded in the same round trip (and, on
    /// PostgreSQL, the same implicit transaction).</summary>
    public async Task<long> AddAsync(string appId, string openId, string? unionId, long residentId, BindingRelation relation, long? succeededAttemptId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = (succeededAttemptId is null ? "" : "UPDATE binding_attempts SET success = @succeeded WHERE id = @attempt;\n") + """
            INSERT INTO resident_bindings (app_id, open_id, union_id, resident_id, relation, created_at)
            VALUES (@app, @open, @union, @resident, @relation, @now) RETURNING id;
            """;
        if (succeededAttemptId is not null)
        {
            command.AddParameter("@attempt", succeededAttemptId);
            command.AddParameter("@succeeded", SqlValues.Flag(database.Provider, true));
        }

        command.AddParameter("@app", appId);
        command.AddParameter("@open", openId);
        command.AddParameter("@union", unionId);
        command.AddParameter("@resident", residentId);
        command.AddParameter("@relation", relation == BindingRelation.Self ? "self" : "family");
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        long? id = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        do
        {
            if (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken))
            {
                id = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return id ?? throw new InvalidOperationException("Inserting a binding returned no id.");
    }

    /// <summary>Records an attempt as failed before it is checked, so parallel requests all see each other, and in the
    /// same round trip counts this OpenID's failures since <paramref name="since"/> (this attempt included) and the
    /// oldest of them; <see cref="MarkSucceededAsync"/> or <see cref="ForgetAsync"/> settle the attempt.</summary>
    public async Task<(long AttemptId, int Failures, DateTimeOffset? Oldest)> BeginAttemptAsync(string appId, string openId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // Two statements, one round trip: the count runs after the insert and sees it.
        command.CommandText = """
            INSERT INTO binding_attempts (app_id, open_id, at, success) VALUES (@app, @open, @now, @failed) RETURNING id;
            SELECT COUNT(*), MIN(at) FROM binding_attempts WHERE app_id = @app AND open_id = @open AND success = @failed AND at > @since;
            """;
        command.AddParameter("@app", appId);
        command.AddParameter("@open", openId);
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        command.AddInstant(database.Provider, "@since", since);
        command.AddParameter("@failed", SqlValues.Flag(database.Provider, false));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var id = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var count = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        return (id, count, count == 0 ? null : reader.GetInstant(database.Provider, 1));
    }

    public Task MarkSucceededAsync(long attemptId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE binding_attempts SET success = @succeeded WHERE id = @id", attemptId, cancellationToken);

    /// <summary>Drops an attempt refused while locked: retrying during a lockout does not prolong it.</summary>
    public Task ForgetAsync(long attemptId, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM binding_attempts WHERE id = @id", attemptId, cancellationToken);

    private async Task ExecuteAsync(string sql, long attemptId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@id", attemptId);
        command.AddParameter("@succeeded", SqlValues.Flag(database.Provider, true));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
