namespace WeChatAssist.Policy.Tests;

/// <summary>The shipped catalog, loaded once for all tests.</summary>
internal static class Shipped
{
    private static readonly Lazy<PolicyCatalog> Lazy = new(PolicyCatalog.LoadShipped);

    public static PolicyCatalog Catalog => Lazy.Value;

    public static InsurancePolicy Get(string id) => Catalog.Get(id);

    /// <summary>The repository root (where WeChatAssist.sln lives), found from the test output folder.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WeChatAssist.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
