namespace WeChatAssist.Policy.Tests.Authoring;

/// <summary>
/// <c>policy diff</c>, <c>policy preview</c> and <c>policy test</c> on the made-up 彭水 2025 draft (test data, not a
/// real notice): every date one year later than pengshui-2024 and two changed amounts.
/// </summary>
public class AuthoringTests
{
    private static readonly string DraftPath = Path.Combine(AppContext.BaseDirectory, "Authoring", "pengshui-2025-draft.yaml");

    private static InsurancePolicy Draft() => PolicyLoader.LoadFile(DraftPath);

    [Fact]
    public void The_diff_shows_exactly_the_changed_amounts_and_the_dates_moved_a_year()
    {
        var changes = PolicyDiff.Compare(Shipped.Get("pengshui-2024"), Draft());
        PolicyChange[] expected =
        [
            new("notice", "document number", "彭水府办发〔2023〕87号", "测试数据〔2024〕1号"),
            new("notice", "title", "关于做好2024年度城乡居民基本医疗保险参保征缴工作的通知", "关于做好2025年度城乡居民基本医疗保险参保征缴工作的通知（测试数据，非真实通知）"),
            new("notice", "benefit year", "2024", "2025"),
            new("groups", "城乡最低生活保障人员 (dibao) tier 1 subsidy", "342元", "361元"),
            new("groups", "城乡最低生活保障人员 (dibao) tier 1 individual", "38元", "19元"),
            new("groups", "城乡重度1-2级残疾人员 (zhongcan) tier 1 subsidy", "266元", "285元"),
            new("groups", "城乡重度1-2级残疾人员 (zhongcan) tier 1 individual", "114元", "95元"),
            new("dates", "collection window", "2023-10-12 – 2023-12-31", "2024-10-12 – 2024-12-31"),
            new("dates", "benefit period", "2024-01-01 – 2024-12-31", "2025-01-01 – 2025-12-31"),
            new("dates", "college transition cover", "2023-09-01 – 2024-12-31", "2024-09-01 – 2025-12-31"),
            new("dates", "认定部门报送审核无误的资助参保名单的截止日（资助信息标识期）", "2023-10-20", "2024-10-20"),
            new("late", "regime jan-feb period", "2024-01-01 – 2024-02-29", "2025-01-01 – 2025-02-28"),
            new("late", "regime waiting period", "2024-03-01 – 2024-06-30", "2025-03-01 – 2025-06-30"),
            new("late", "regime waiting-fiscal period", "2024-07-01 – 2024-12-31", "2025-07-01 – 2025-12-31"),
            // Benefit year 2025 comes under 国办发〔2024〕38号; the draft keeps 003's late regimes and says so.
            new("national", "国办发〔2024〕38号", null, "applies from benefit year 2025"),
            new("national", "国办发〔2024〕38号 waiting period", null, "overridden by the county notice"),
            new("national", "国办发〔2024〕38号 incentives", null, "大病保险 maximum raised after 4 continuous years and after a year without claims, at least 1000元 a time, at most 20% of the original in all"),
        ];
        Assert.Equal(expected, changes);
    }

    [Fact]
    public void A_benefit_year_the_national_layer_covers_shows_its_waiting_period_as_a_change_where_the_county_notice_is_silent()
    {
        // pengshui-2024 predates 国办发〔2024〕38号 (from benefit year 2025); suiping-2025 is covered and overrides nothing.
        var changes = PolicyDiff.Compare(Shipped.Get("pengshui-2024"), Shipped.Get("suiping-2025")).Where(c => c.Area == PolicyDiff.National).ToList();
        Assert.Equal(
            [
                new("national", "国办发〔2024〕38号", null, "applies from benefit year 2025"),
                new("national", "国办发〔2024〕38号 waiting period", null,
                    "join outside the collection period or after a break: fixed 3 months, +1 per year of break (−1 per missed year paid), at least 6 months after a break of 4+ years; except 新生儿等特殊群体"),
            ],
            changes.Take(2));
        Assert.Equal(3, changes.Count);
        Assert.Empty(PolicyDiff.Compare(Shipped.Get("suiping-2025"), Shipped.Get("suiping-2025")));
        Assert.Contains(PolicyDiff.Compare(Shipped.Get("suiping-2025"), Shipped.Get("pengshui-2024")), c => c.Area == "national" && c.Item == "国办发〔2024〕38号" && c.After is null);
    }

    [Fact]
    public void A_policy_compared_with_itself_has_no_change()
        => Assert.Empty(PolicyDiff.Compare(Shipped.Get("wenxi-2024"), Shipped.Get("wenxi-2024")));

    [Fact]
    public void The_diff_lists_groups_channels_and_contacts_added_and_removed()
    {
        var changes = PolicyDiff.Compare(Shipped.Get("suiping-2025"), Shipped.Get("pengshui-2024"));
        Assert.Contains(changes, c => c.Area == "groups" && c.Item.EndsWith("(tekun) name", StringComparison.Ordinal) && c.Before == "特困人员");
        Assert.Contains(changes, c => c.Area == "groups" && c.Item.EndsWith("(guer)", StringComparison.Ordinal) && c.After is null);
        Assert.Contains(changes, c => c.Area == "groups" && c.Item.EndsWith("(dibao-bianyuan)", StringComparison.Ordinal) && c.Before is null);
        Assert.Contains(changes, c => c.Area == "late" && c.Item == "after the window" && c.Before == "not stated" && c.After is null);
        Assert.Contains(changes, c => c.Area == "late" && c.Item == "regime waiting" && c.Before is null && c.After!.Contains("after waiting 90 days", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.Area == "channels" && c.Item == "豫事办" && c.After is null);
        Assert.Contains(changes, c => c.Area == "contacts" && c.Item == "行政服务大厅三楼医保窗口" && c.After is null);
        Assert.Contains(changes, c => c.Area == "amounts" && c.Item == "tier 2 individual" && c.Before is null && c.After == "755元");
    }

    [Fact]
    public void The_diff_table_has_one_line_per_change_under_its_heading()
    {
        var changes = PolicyDiff.Compare(Shipped.Get("pengshui-2024"), Draft());
        var lines = PolicyDiff.Table(changes).TrimEnd('\n').Split('\n');
        Assert.Equal(changes.Count + 2, lines.Length);
        Assert.StartsWith("area", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("(dibao) tier 1 individual", StringComparison.Ordinal) && l.Contains("38元", StringComparison.Ordinal) && l.EndsWith("19元", StringComparison.Ordinal));
    }

    [Fact]
    public void The_preview_quotes_every_group_at_every_tier_on_the_day()
    {
        var draft = Draft();
        var preview = PolicyPreview.Build(draft, new DateOnly(2024, 11, 1));
        Assert.True(preview.Payable);
        Assert.Equal((draft.Categories.Count + 1) * draft.Tiers.Count, preview.Quotes.Count);
        var dibao = Assert.Single(preview.Quotes, q => q.Code == "dibao" && q.Tier == 1);
        Assert.Equal((QuoteOutcome.Ok, 19_00L, 361_00L), (dibao.Outcome, dibao.DueFen!.Value, dibao.SubsidyFen!.Value));
        var ordinary = Assert.Single(preview.Quotes, q => q.Code is null && q.Tier == 2);
        Assert.Equal(755_00L, ordinary.DueFen);
        Assert.Equal(new DateOnly(2025, 1, 1), ordinary.BenefitStart);
    }

    [Fact]
    public void The_preview_after_the_window_shows_the_waiting_period()
    {
        var preview = PolicyPreview.Build(Draft(), new DateOnly(2025, 4, 1));
        var ordinary = Assert.Single(preview.Quotes, q => q.Code is null && q.Tier == 1);
        Assert.Equal(new DateOnly(2025, 7, 1), ordinary.BenefitStart);
        Assert.Equal(90, ordinary.WaitingDays);
    }

    [Fact]
    public void The_calendar_lists_the_key_dates_in_order()
    {
        var calendar = PolicyPreview.CalendarOf(Draft());
        Assert.Equal(calendar.OrderBy(e => e.Date).ToList(), calendar);
        Assert.Contains(new CalendarEntry(new DateOnly(2024, 10, 12), "collection window opens"), calendar);
        Assert.Contains(new CalendarEntry(new DateOnly(2024, 12, 31), "collection window closes (last day)"), calendar);
        Assert.Contains(new CalendarEntry(new DateOnly(2025, 3, 1), "late regime 'waiting' starts"), calendar);
        Assert.Contains(new CalendarEntry(new DateOnly(2024, 10, 20), "认定部门报送审核无误的资助参保名单的截止日（资助信息标识期）"), calendar);
        Assert.Contains("2024-10-12  collection window opens", PolicyPreview.Build(Draft(), new DateOnly(2024, 11, 1)).ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_cases_beside_the_draft_pass()
    {
        var cases = PolicyCaseFile.LoadFile(PolicyCaseFile.BesidePolicy(DraftPath));
        Assert.Equal("pengshui-2025", cases.PolicyId);
        Assert.Equal(4, cases.Cases.Count);
        var draft = Draft();
        Assert.All(cases.Cases, c => Assert.Empty(c.Run(draft)));
    }

    [Fact]
    public void A_folder_with_cases_beside_a_policy_loads_only_the_policy()
    {
        var folder = Directory.CreateTempSubdirectory("policies-");
        try
        {
            File.Copy(DraftPath, Path.Combine(folder.FullName, "pengshui-2025.yaml"));
            File.Copy(PolicyCaseFile.BesidePolicy(DraftPath), Path.Combine(folder.FullName, "pengshui-2025.cases.yaml"));
            Assert.NotNull(PolicyCatalog.Load(folder.FullName).Find("pengshui-2025"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
