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

    [Fact]
    public void A_published_next_year_serves_the_county_from_its_first_collection_day_and_not_before()
    {
        var catalog = PolicyCatalog.LoadShipped();
        catalog.ApplyPublished([Draft()]);

        // The made-up 2025 draft's window opens on 12 October 2024.
        Assert.Equal("pengshui-2024", catalog.Current("pengshui-2024", new DateOnly(2024, 10, 11))!.Id);
        Assert.Equal("pengshui-2025", catalog.Current("pengshui-2024", new DateOnly(2024, 10, 12))!.Id);
        Assert.Equal("pengshui-2025", catalog.Current("pengshui-2025", new DateOnly(2024, 1, 1))!.Id);
        // Another county is not moved, and an unknown id is null.
        Assert.Equal("wenxi-2024", catalog.Current("wenxi-2024", new DateOnly(2024, 10, 12))!.Id);
        Assert.Null(catalog.Current("nowhere-2024", new DateOnly(2024, 10, 12)));

        catalog.ApplyPublished([]);
        Assert.Equal("pengshui-2024", catalog.Current("pengshui-2024", new DateOnly(2024, 10, 12))!.Id);
    }
}
