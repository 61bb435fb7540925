using System.Collections.Frozen;
using System.Reflection;

namespace WeChatAssist.Policy;

/// <summary>
/// The loaded policies, by id. <see cref="LoadShipped"/> reads the notices embedded in this library;
/// <see cref="Load(string?)"/> adds every <c>*.yaml</c> of a folder, where a file with the same id
/// overrides the shipped policy (so a bureau can add next year's notice without a release).
/// </summary>
public sealed class PolicyCatalog
{
    private const string ResourcePrefix = "WeChatAssist.Policy.Policies.";
    private readonly IReadOnlyList<InsurancePolicy> _files;
    private volatile Snapshot _current;

    private PolicyCatalog(IEnumerable<InsurancePolicy> policies)
    {
        _files = policies.ToList();
        _current = new Snapshot(_files);
    }

    /// <summary>All policies, ordered by id.</summary>
    public IReadOnlyList<InsurancePolicy> All => _current.All;

    /// <summary>
    /// Replaces the policies published since start (a bureau's approved drafts, newest version of each id) on top of
    /// the files: a published id overrides the file with that id. Readers see the old or the new set, never a mix;
    /// a caller holding a policy keeps it.
    /// </summary>
    public void ApplyPublished(IEnumerable<InsurancePolicy> published)
    {
        ArgumentNullException.ThrowIfNull(published);
        var byId = _files.ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var policy in published)
        {
            byId[policy.Id] = policy;
        }

        _current = new Snapshot(byId.Values);
    }

    /// <summary>Loads the policies shipped inside the library.</summary>
    public static PolicyCatalog LoadShipped() => new(LoadEmbedded().Values);

    /// <summary>Loads the shipped policies plus every <c>*.yaml</c> in <paramref name="directory"/> (same id overrides shipped).</summary>
    public static PolicyCatalog Load(string? directory)
    {
        var policies = LoadEmbedded();
        if (!string.IsNullOrWhiteSpace(directory))
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var path in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
            {
                if (path.EndsWith(PolicyCaseFile.Suffix, StringComparison.Ordinal))
                {
                    // Cases written beside a policy (`policy test`) are not policies.
                    continue;
                }

                var policy = PolicyLoader.LoadFile(path);
                if (seen.TryGetValue(policy.Id, out var other))
                {
                    throw new PolicyLoadException(path, 1, $"policy id '{policy.Id}' is also defined in {other}");
                }

                seen[policy.Id] = path;
                policies[policy.Id] = policy;
            }
        }

        return new(policies.Values);
    }

    /// <summary>Builds a catalog from policies already loaded (tests, tools).</summary>
    public static PolicyCatalog From(IEnumerable<InsurancePolicy> policies) => new(policies);

    /// <summary>The policy with this id, or null.</summary>
    public InsurancePolicy? Find(string id) => _current.ById.GetValueOrDefault(id);

    /// <summary>
    /// The policy a resident or account registered under <paramref name="policyId"/> is served from on
    /// <paramref name="today"/>: that policy, or the same county's later benefit year once its collection window has
    /// opened (a published next-year notice takes over on its first collection day). Null when the id is not loaded.
    /// </summary>
    public InsurancePolicy? Current(string policyId, DateOnly today)
    {
        var snapshot = _current;
        if (snapshot.ById.GetValueOrDefault(policyId) is not { } configured)
        {
            return null;
        }

        var best = configured;
        foreach (var candidate in snapshot.All)
        {
            if (candidate.Name == configured.Name && candidate.BenefitYear > best.BenefitYear && candidate.CollectionWindow.From <= today)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>The policy with this id; throws <see cref="KeyNotFoundException"/> when unknown.</summary>
    public InsurancePolicy Get(string id) => Find(id) ?? throw new KeyNotFoundException($"no policy '{id}'");

    private sealed class Snapshot
    {
        public Snapshot(IEnumerable<InsurancePolicy> policies)
        {
            All = policies.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
            ById = All.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        }

        public IReadOnlyList<InsurancePolicy> All { get; }

        public FrozenDictionary<string, InsurancePolicy> ById { get; }
    }

    private static Dictionary<string, InsurancePolicy> LoadEmbedded()
    {
        var assembly = typeof(PolicyCatalog).Assembly;
        var policies = new Dictionary<string, InsurancePolicy>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var policy = PolicyLoader.Load(stream, name[ResourcePrefix.Length..]);
            policies.Add(policy.Id, policy);
        }

        return policies;
    }
}
