using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace WeChatAssist.Server.Data.Schema;

/// <summary>The ordered schema versions this build carries. To add one, drop
/// <c>Data/Schema/NNNN_name.postgres.sql</c> and <c>NNNN_name.sqlite.sql</c> next to the others; nothing else changes.</summary>
internal sealed partial class SchemaCatalog
{
    private const string ResourcePrefix = "WeChatAssist.Schema.";

    public SchemaCatalog(IReadOnlyList<SchemaMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Schema versions must run 1, 2, 3… without gaps; found version {migrations[i].Version} at position {i + 1}.");
            }
        }

        Migrations = migrations;
    }

    public IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>Checksums of released scripts that were later shortened, accepted besides the current ones. Version 1
    /// created the job-store tables of the scheduler Hangfire replaced; version 15 drops them, and version 1 lost their
    /// DDL so that a new database never creates them. Nothing else may be edited after release. Keyed by the script's
    /// file, <c>NNNN_name.{suffix}.sql</c>: version and <see cref="ISqlDialect.ScriptSuffix"/>.</summary>
    public static IReadOnlyDictionary<(int Version, string ScriptSuffix), string> EarlierChecksums { get; } =
        new Dictionary<(int, string), string>
        {
            [(1, "postgres")] = "cad4c604a79487f778ab8ad12a1351148c22c589e81c7f4bf603a253d0ac7438",
            [(1, "sqlite")] = "2ed7fd93586e67a3b8b842e741eaf0a09bf8b14951a4ba98356cae875f0d7e82",
        };

    /// <summary>The newest version this build knows.</summary>
    public int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>Reads the <c>.sql</c> files embedded in the server assembly.</summary>
    public static SchemaCatalog FromEmbeddedScripts()
    {
        var assembly = typeof(SchemaCatalog).Assembly;
        var scripts = new Dictionary<(int Version, string Name), Dictionary<string, string>>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var match = ScriptName().Match(resource[ResourcePrefix.Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Schema script '{resource}' must be named NNNN_name.postgres.sql or NNNN_name.sqlite.sql.");
            }

            var key = (int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value);
            if (!scripts.TryGetValue(key, out var byDialect))
            {
                scripts[key] = byDialect = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            byDialect[match.Groups["dialect"].Value] = Read(assembly, resource);
        }

        var migrations = new List<SchemaMigration>();
        foreach (var ((version, name), byDialect) in scripts.OrderBy(pair => pair.Key.Version))
        {
            if (!byDialect.TryGetValue("postgres", out var postgres) || !byDialect.TryGetValue("sqlite", out var sqlite))
            {
                throw new InvalidOperationException($"Schema version {version} ({name}) needs both a .postgres.sql and a .sqlite.sql script.");
            }

            migrations.Add(new SchemaMigration(version, name, postgres, sqlite));
        }

        return new SchemaCatalog(migrations);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.(?<dialect>postgres|sqlite)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptName();
}
