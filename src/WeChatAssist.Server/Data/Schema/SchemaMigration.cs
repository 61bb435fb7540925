namespace WeChatAssist.Server.Data.Schema;

/// <summary>One schema version: the same change written once per provider.</summary>
/// <param name="Version">Position in the sequence, starting at 1, without gaps.</param>
/// <param name="Name">Short name taken from the file, e.g. <c>message_dedupe</c>.</param>
/// <param name="PostgresSql">The script for PostgreSQL.</param>
/// <param name="SqliteSql">The script for SQLite.</param>
internal sealed record SchemaMigration(int Version, string Name, string PostgresSql, string SqliteSql)
{
    /// <summary>The script for <paramref name="provider"/>; which one is its engine's (<see cref="IDatabaseEngine.ScriptOf"/>).</summary>
    public string SqlFor(DatabaseProvider provider) => IDatabaseEngine.For(provider).ScriptOf(this);

    /// <summary>The provider's script split on lines reading exactly <c>--;;</c> (the separator the first job-store scripts
    /// use, whose statements carry no semicolon). Each batch goes to the database as one command and may itself hold
    /// several <c>;</c>-terminated statements; batches holding only comments are dropped.</summary>
    public IReadOnlyList<string> BatchesFor(DatabaseProvider provider) =>
        [.. SqlFor(provider)
            .ReplaceLineEndings("\n")
            .Split("\n--;;\n")
            .Where(batch => batch.Split('\n').Any(line => line.Trim() is { Length: > 0 } text && !text.StartsWith("--", StringComparison.Ordinal)))];

    /// <summary>SHA-256 of the provider's script with line endings normalised, recorded when the version is applied.</summary>
    public string ChecksumFor(DatabaseProvider provider)
    {
        var normalised = SqlFor(provider).ReplaceLineEndings("\n");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalised)));
    }
}
