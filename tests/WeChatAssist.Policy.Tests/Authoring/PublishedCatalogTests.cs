namespace WeChatAssist.Policy.Tests.Authoring;

/// <summary>A catalog takes policies published at run time on top of its files, swapping them in one step.</summary>
public class PublishedCatalogTests
{
    private static InsurancePolicy Draft() => PolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Authoring", "pengshui-2025-draft.yaml"));

    [Fact]
    public void A_published_policy_is_found_and_listed_and_the_files_stay()
    {
        var catalog = PolicyCatalog.LoadShipped();
        var before = catalog.All;
        catalog.ApplyPublished([Draft()]);

        Assert.Equal(19_00, catalog.Get("pengshui-2025").Categories.Single(c => c.Code == "dibao").AtTier(1)!.IndividualFen);
        Assert.Equal(before.Count + 1, catalog.All.Count);
        Assert.NotNull(catalog.Find("pengshui-2024"));

        // A reader that took the list before keeps what it took.
        Assert.DoesNotContain(before, p => p.Id == "pengshui-2025");
    }

    [Fact]
    public void A_published_policy_with_a_shipped_id_overrides_the_file_and_a_new_set_replaces_the_old()
    {
        var catalog = PolicyCatalog.LoadShipped();
        var corrected = PolicyLoader.Load(new StringReader(File.ReadAllText(Path.Combine(Shipped.RepoRoot(), "src", "WeChatAssist.Policy", "Policies", "suiping-2025.yaml"))
            .Replace("  - { tier: 1, yuan: 90, individualYuan: 310 }\n    cites: [s1-2, s1-3-1]", "  - { tier: 1, yuan: 100, individualYuan: 300 }\n    cites: [s1-2, s1-3-1]", StringComparison.Ordinal)), "suiping-2025.yaml");
        catalog.ApplyPublished([corrected]);
        Assert.Equal(300_00, catalog.Get("suiping-2025").Categories.Single(c => c.Code == "dibao").AtTier(1)!.IndividualFen);

        catalog.ApplyPublished([]);
        Assert.Equal(310_00, catalog.Get("suiping-2025").Categories.Single(c => c.Code == "dibao").AtTier(1)!.IndividualFen);
    }
}
