namespace WeChatAssist.Policy.Tests;

public class CatalogTests
{
    [Fact]
    public void The_four_shipped_policies_load_by_benefit_year_ids()
    {
        var ids = Shipped.Catalog.All.Select(p => p.Id).ToArray();
        Assert.Equal(["dianjiang-xinmin-2024", "pengshui-2024", "suiping-2025", "wenxi-2024"], ids);
    }

    [Theory]
    [InlineData("dianjiang-xinmin-2024", "垫江县新民镇", "垫新民府发〔2023〕93号", 2024, "2023-10-11", "2023-12-31")]
    [InlineData("suiping-2025", "遂平县", "", 2025, "2024-09-20", "2024-12-31")]
    [InlineData("pengshui-2024", "彭水苗族土家族自治县", "彭水府办发〔2023〕87号", 2024, "2023-10-12", "2023-12-31")]
    [InlineData("wenxi-2024", "闻喜县", "闻政办发〔2023〕29号", 2024, "2023-09-01", "2023-12-25")]
    public void Each_policy_lists_name_document_year_and_window(string id, string name, string document, int year, string from, string to)
    {
        var p = Shipped.Get(id);
        Assert.Equal(name, p.Name);
        Assert.Equal(document, p.DocumentNumber);
        Assert.Equal(year, p.BenefitYear);
        Assert.Equal(new DateRange(DateOnly.Parse(from), DateOnly.Parse(to)), p.CollectionWindow);
        Assert.Equal(new DateRange(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)), p.BenefitPeriod);
    }

    [Theory]
    [InlineData("suiping-2025", 17, 415517)]
    [InlineData("pengshui-2024", 39, 554440)]
    [InlineData("wenxi-2024", 13, 319202)]
    public void Target_tables_hold_every_row_and_the_stated_total(string id, int rows, long total)
    {
        var table = Assert.Single(Shipped.Get(id).Targets);
        Assert.Equal(rows, table.Rows.Count);
        Assert.Equal(total, table.Total);
        Assert.Equal(total, table.Rows.Sum(r => r.Count));
    }

    [Fact]
    public void Dianjiang_has_no_target_table()
        => Assert.Empty(Shipped.Get("dianjiang-xinmin-2024").Targets);

    [Theory]
    [InlineData("suiping-2025", 400_00, 670_00)]
    [InlineData("pengshui-2024", 380_00, 640_00)]
    [InlineData("dianjiang-xinmin-2024", 380_00, 640_00)]
    [InlineData("wenxi-2024", 380_00, 640_00)]
    public void Tier_one_and_fiscal_subsidy_are_in_fen(string id, long tierOne, long fiscal)
    {
        var p = Shipped.Get(id);
        Assert.Equal(tierOne, p.Tiers[0].IndividualFen);
        Assert.Equal(fiscal, p.FiscalSubsidyFen);
    }

    [Fact]
    public void The_national_standard_is_cited_where_the_notice_gives_no_fiscal_amount()
    {
        foreach (var id in new[] { "dianjiang-xinmin-2024", "pengshui-2024", "wenxi-2024" })
        {
            Assert.Equal("national-fiscal-subsidy-2024", Shipped.Get(id).FiscalSubsidyCites[0].Id);
        }

        Assert.Equal("s1", Shipped.Get("suiping-2025").FiscalSubsidyCites[0].Id);
    }

    [Fact]
    public void Pengshui_coverage_targets_are_95_100_and_99_percent()
    {
        var targets = Shipped.Get("pengshui-2024").CoverageTargets;
        Assert.Equal([95m, 100m, 99m], targets.Select(t => t.Percent).ToArray());
        Assert.All(targets, t => Assert.Equal(new DateOnly(2023, 12, 31), t.By));
        Assert.Equal(7, targets[1].Members.Count);
    }

    [Fact]
    public void Wenxi_lists_five_phone_numbers_reporting_rhythm_and_coverage_facts()
    {
        var p = Shipped.Get("wenxi-2024");
        Assert.Equal(
            ["0359-8801801", "0359-2359019", "0359-7029028", "0359-7021942", "0359-7029884"],
            p.Contacts.Where(c => c.Phone is not null).Select(c => c.Phone!).ToArray());
        Assert.Equal(new DateOnly(2023, 10, 31), p.Reporting[0].To);
        Assert.Equal("weekly", p.Reporting[0].Frequency);
        Assert.Equal(new DateOnly(2023, 11, 1), p.Reporting[1].From);
        Assert.Equal("daily", p.Reporting[1].Frequency);
        Assert.Contains(p.Facts, f => f.Id == "inpatient-ratio-70" && f.Text.Contains("70%", StringComparison.Ordinal));
        Assert.Contains(p.Facts, f => f.Id == "outpatient-limit-300-2024" && f.Text.Contains("300元", StringComparison.Ordinal));
        Assert.Contains(p.Facts, f => f.Id == "pregnancy-complications-2023-09-01" && f.Cites[0].Numbering == "六、（四）");
        Assert.Contains(p.Facts, f => f.Id == "two-diseases-drugs-2023-09-01");
        Assert.Equal(26, p.NoPaymentFromDay);
    }

    [Fact]
    public void Pengshui_states_no_payment_channel_and_the_others_do()
    {
        Assert.Empty(Shipped.Get("pengshui-2024").PaymentChannels);
        Assert.False(Shipped.Get("pengshui-2024").PaymentChannelsStated);
        Assert.True(Shipped.Get("wenxi-2024").PaymentChannelsStated);
        Assert.Equal(7, Shipped.Get("dianjiang-xinmin-2024").PaymentChannels.Count);
        Assert.Equal(8, Shipped.Get("suiping-2025").PaymentChannels.Count);
        Assert.Equal(6, Shipped.Get("wenxi-2024").PaymentChannels.Count);
    }

    [Fact]
    public void Dates_stated_by_notices_are_kept()
    {
        Assert.Equal(new DateOnly(2024, 10, 31), Shipped.Get("suiping-2025").Dates.Single().Date);
        Assert.Equal(new DateOnly(2023, 10, 20), Shipped.Get("pengshui-2024").Dates.Single().Date);
    }

    [Fact]
    public void A_folder_policy_with_the_same_id_overrides_the_shipped_one()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var shipped = typeof(PolicyCatalog).Assembly.GetManifestResourceStream("WeChatAssist.Policy.Policies.suiping-2025.yaml")!;
            var text = new StreamReader(shipped).ReadToEnd().Replace("name: 遂平县\n", "name: 遂平县（新）\n", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir.FullName, "suiping-2025.yaml"), text);
            var catalog = PolicyCatalog.Load(dir.FullName);
            Assert.Equal("遂平县（新）", catalog.Get("suiping-2025").Name);
            Assert.Equal(4, catalog.All.Count);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_explanation_template_renders()
    {
        var cite = Shipped.Get("wenxi-2024").Clauses[0].Citation;
        foreach (var kind in Enum.GetValues<ExplanationKind>())
        {
            var text = new ExplanationStep(kind, cite, 38_00, 342_00, new DateOnly(2024, 3, 1), new DateOnly(2024, 12, 31), 90, "低保对象").Text;
            Assert.DoesNotContain("{", text, StringComparison.Ordinal);
            Assert.NotEmpty(text);
        }
    }

    [Fact]
    public void Yuan_formatting_drops_zero_fen()
    {
        Assert.Equal("380元", PolicyFormat.Yuan(380_00));
        Assert.Equal("1020元", PolicyFormat.Yuan(1020_00));
        Assert.Equal("38.5元", PolicyFormat.Yuan(38_50));
        Assert.Equal("2024年2月29日", PolicyFormat.Date(new DateOnly(2024, 2, 29)));
    }

    [Fact]
    public void Every_policy_states_who_is_eligible()
        => Assert.All(Shipped.Catalog.All, p => Assert.Contains(p.Facts, f => f.Id == "eligibility"));

    [Fact]
    public void Dianjiang_names_offices_but_no_phone_numbers()
    {
        var contacts = Shipped.Get("dianjiang-xinmin-2024").Contacts;
        Assert.All(contacts, c => Assert.Null(c.Phone));
        Assert.Contains(contacts, c => c.Name.StartsWith("户籍所在地村", StringComparison.Ordinal));
        Assert.Contains(contacts, c => c.Name.StartsWith("镇社保所", StringComparison.Ordinal));
    }

    [Fact]
    public void Suiping_township_funding_rules_are_kept_as_a_citable_fact()
    {
        var fact = Assert.Single(Shipped.Get("suiping-2025").Facts, f => f.Id == "township-funding");
        Assert.Contains("每参保1人1元", fact.Text, StringComparison.Ordinal);
        Assert.Equal("五、（三）", fact.Cites[0].Numbering);
    }

    [Theory]
    [InlineData("pengshui-2024", 13)]
    [InlineData("wenxi-2024", 7)]
    [InlineData("suiping-2025", 10)]
    [InlineData("dianjiang-xinmin-2024", 0)]
    public void Subsidised_categories_match_the_notices_lists(string id, int stated)
        => Assert.Equal(stated, Shipped.Get(id).Categories.Count(c => c.Status == SubsidyStatus.Stated));

    [Fact]
    public void Pengshui_key_entitled_group_offers_only_tier_two()
    {
        var c = Shipped.Get("pengshui-2024").FindCategoryByCode("zhongdian-youfu")!;
        Assert.Null(c.AtTier(1));
        Assert.Equal(new CategorySubsidy(2, 755_00, 0), c.AtTier(2));
    }

    [Fact]
    public void A_not_stated_quote_names_whom_to_call()
    {
        var q = Shipped.Get("wenxi-2024").Quote(new ResidentFacts { PaidLastYear = false }, new DateOnly(2024, 3, 1));
        Assert.Equal(QuoteOutcome.NotStated, q.Outcome);
        Assert.Contains(q.Contacts, c => c.Phone == "0359-8801801");
        Assert.Equal("五、（二）", q.DeferringClause!.Numbering);
        Assert.Equal("闻政办发〔2023〕29号", q.DeferringClause.DocumentNumber);
    }
    // 遂平 一、（一）: 县财政全额资助 for 特困 (免征代缴) and 脱贫人口 (pay 400元, all refunded); 低保 is 定额资助 90元.
    [Theory]
    [InlineData("suiping-2025", "tekun", true)]
    [InlineData("suiping-2025", "tuopin", true)]
    [InlineData("suiping-2025", "dibao", false)]
    [InlineData("suiping-2025", "zhongcan", false)]
    [InlineData("wenxi-2024", "tekun", true)]
    [InlineData("wenxi-2024", "dibao", false)]
    public void A_subsidy_covers_all_only_when_nothing_is_left_for_the_resident_to_bear(string policy, string code, bool coversAll)
    {
        var q = Shipped.Get(policy).Quote(new ResidentFacts { Categories = [code], Tier = 1 }, Shipped.Get(policy).CollectionWindow.From);
        Assert.Equal(coversAll, q.SubsidyCoversAll);
    }

    [Fact]
    public void A_quote_without_a_subsidy_does_not_cover_all()
    {
        var p = Shipped.Get("suiping-2025");
        Assert.False(p.Quote(new ResidentFacts(), p.CollectionWindow.From).SubsidyCoversAll);
    }
}
