using System.Text.RegularExpressions;
using Json.Schema;
using WeChatAssist.Policy.Tests.Authoring;

namespace WeChatAssist.Policy.Tests;

/// <summary>
/// 国办发〔2024〕38号 as a national layer: county files inherit it from benefit year 2025; where the county notice is
/// silent the quote cites the national clauses; where both speak a contradiction does not load unless declared.
/// </summary>
public class NationalLayerTests
{
    private static readonly string DraftPath = Path.Combine(AppContext.BaseDirectory, "Authoring", "pengshui-2025-draft.yaml");

    private static string NationalPath() => Path.Combine(Shipped.RepoRoot(), "src", "WeChatAssist.Policy", "Policies", "national", "gbf-2024-38.yaml");

    // The made-up 2025 draft keeps 003's January–February regime (cover from the next month) and declares the override.
    private static string DraftWithoutOverride() => Regex.Replace(File.ReadAllText(DraftPath), "^national: .*$", "", RegexOptions.Multiline);

    private static string DraftWithoutJanuaryRegime() =>
        Regex.Replace(DraftWithoutOverride(), @"    - id: jan-feb\n(      .*\n)+", "");

    [Fact]
    public void The_shipped_layer_is_the_State_Council_document_from_benefit_year_2025_with_the_waiting_period_its_sources_state()
    {
        var layer = Assert.Single(NationalLayers.Shipped);
        Assert.Equal("国办发〔2024〕38号", layer.DocumentNumber);
        Assert.Equal(2025, layer.FromBenefitYear);
        var waiting = layer.WaitingPeriod!;
        Assert.Equal((3, 1, 1, 4, 6), (waiting.FixedMonths, waiting.MonthsPerYearOfBreak, waiting.RepairMonthsPerYearPaid, waiting.FloorFromBreakYears, waiting.FloorMonths));
        Assert.Equal("新生儿等特殊群体", waiting.Exceptions);
        // Every figure encoded is in the cited clause's text, and the local-standard clause says who sets the rest.
        var text = waiting.Cites[0].Text;
        Assert.Contains("固定待遇等待期3个月", text, StringComparison.Ordinal);
        Assert.Contains("增加变动待遇等待期1个月", text, StringComparison.Ordinal);
        Assert.Contains("每多缴纳1年可减少1个月变动待遇等待期", text, StringComparison.Ordinal);
        Assert.Contains("连续断缴4年及以上", text, StringComparison.Ordinal);
        Assert.Contains("不少于6个月", text, StringComparison.Ordinal);
        Assert.Contains("等待期具体标准由各省份根据自身情况确定", waiting.LocalStandardCites[0].Text, StringComparison.Ordinal);
        Assert.Equal((4, 100_000L, 20m), (layer.Incentives!.ContinuousAfterYears, layer.Incentives.MinimumRaiseFen, layer.Incentives.CapPercentOfOriginal));
        Assert.Contains("原则上每次提高限额均不低于1000元", layer.Incentives.Cites[0].Text, StringComparison.Ordinal);
        Assert.All(layer.Sources, s => Assert.StartsWith("http", s.Url, StringComparison.Ordinal));
    }

    [Fact]
    public void A_county_file_inherits_the_layer_for_benefit_year_2025_and_not_for_2024()
    {
        Assert.Equal("gbf-2024-38", Assert.Single(Shipped.Get("suiping-2025").National).Id);
        Assert.Empty(Shipped.Get("pengshui-2024").National);
        Assert.Null(Shipped.Get("wenxi-2024").NationalWaitingPeriod);
    }

    [Fact]
    public void A_late_payer_in_Suiping_2025_whose_notice_is_silent_gets_the_national_waiting_period_with_its_citation()
    {
        var quote = Shipped.Get("suiping-2025").Quote(new ResidentFacts { Tier = 1 }, new DateOnly(2025, 3, 10));

        Assert.Equal(QuoteOutcome.NationalRule, quote.Outcome);
        Assert.Null(quote.IndividualDueFen);
        Assert.Null(quote.BenefitStart);
        Assert.Equal(("gbf-2024-38", "国办发〔2024〕38号"), (quote.DeferringClause!.PolicyId, quote.DeferringClause.DocumentNumber));
        var national = quote.Explanation.Where(s => s.Citation.DocumentNumber == "国办发〔2024〕38号").Select(s => s.Text).ToList();
        Assert.Contains(national, t => t.Contains("固定待遇等待期3个月", StringComparison.Ordinal) && t.Contains("自2025年起", StringComparison.Ordinal));
        Assert.Contains(national, t => t.Contains("新生儿等特殊群体除外", StringComparison.Ordinal));
        Assert.Contains(national, t => t.Contains("每多断保1年", StringComparison.Ordinal) && t.Contains("1个月", StringComparison.Ordinal));
        Assert.Contains(national, t => t.Contains("具体标准由各省份确定", StringComparison.Ordinal));
        // The county's own silence is still said first, citing its clause.
        Assert.Equal("s1", quote.Explanation[0].Citation.ClauseId);
    }

    [Fact]
    public void A_county_regime_contradicting_the_national_waiting_period_is_a_load_fault_at_its_line_and_column()
    {
        var text = DraftWithoutOverride();
        var result = PolicyCheck.Check(text, "pengshui-2025.yaml");

        var fault = Assert.Single(result.Faults);
        var line = text.Split('\n').Select((l, i) => (l, i)).SkipWhile(x => !x.l.Contains("id: jan-feb", StringComparison.Ordinal)).First(x => x.l.Contains("benefitStart:", StringComparison.Ordinal)).i + 1;
        Assert.Equal((line, 21), (fault.Line, fault.Column));
        Assert.Contains("国办发〔2024〕38号", fault.Reason, StringComparison.Ordinal);
        Assert.Contains("overrides: [waitingPeriod]", fault.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_county_wait_shorter_than_the_national_fixed_period_is_a_load_fault_at_the_waiting_key()
    {
        var text = DraftWithoutJanuaryRegime().Replace("waiting: { days: 90, countFromNextDay: true }\n      cites: [s5-3-c]\n", "waiting: { days: 60, countFromNextDay: true }\n      cites: [s5-3-c]\n", StringComparison.Ordinal);
        var fault = Assert.Single(PolicyCheck.Check(text, "pengshui-2025.yaml").Faults);
        Assert.Contains("waits 60 days", fault.Reason, StringComparison.Ordinal);
        Assert.Equal(16, fault.Column); // the waiting duration itself
    }

    [Fact]
    public void A_county_wait_of_90_days_agrees_with_the_national_three_months_and_its_own_answer_stands()
    {
        var policy = PolicyCheck.Check(DraftWithoutJanuaryRegime(), "pengshui-2025.yaml").Policy!;
        Assert.NotNull(policy.NationalWaitingPeriod);
        var quote = policy.Quote(new ResidentFacts { Tier = 1, PaidLastYear = true }, new DateOnly(2025, 3, 10));
        Assert.Equal(QuoteOutcome.Ok, quote.Outcome);
        Assert.DoesNotContain(quote.Citations, c => c.DocumentNumber == "国办发〔2024〕38号");
    }

    [Fact]
    public void A_county_file_that_declares_the_override_loads_and_answers_with_its_own_rule()
    {
        var policy = PolicyCheck.Check(File.ReadAllText(DraftPath), "pengshui-2025.yaml").Policy!;
        Assert.True(policy.OverridesNationalWaitingPeriod);
        Assert.Null(policy.NationalWaitingPeriod);
        var quote = policy.Quote(new ResidentFacts { Tier = 1, PaidLastYear = true }, new DateOnly(2025, 1, 15));
        Assert.Equal((QuoteOutcome.Ok, new DateOnly(2025, 2, 1)), (quote.Outcome, quote.BenefitStart));
    }

    [Theory]
    [InlineData("national: { layer: gbf-2024-38, overrides: [waitingPeriod], cites: [s1] }", "applies from benefit year 2025, not to 2024")]
    [InlineData("national: { layer: gbf-1999-1, overrides: [waitingPeriod], cites: [s1] }", "no national layer 'gbf-1999-1'")]
    public void Overriding_a_layer_that_does_not_apply_is_a_fault(string declaration, string reason)
    {
        var text = File.ReadAllText(Path.Combine(Shipped.RepoRoot(), "src", "WeChatAssist.Policy", "Policies", "wenxi-2024.yaml")) + "\n" + declaration + "\n";
        var fault = Assert.Single(PolicyCheck.Check(text, "wenxi-2024.yaml").Faults);
        Assert.Contains(reason, fault.Reason, StringComparison.Ordinal);
        Assert.True(fault.Line > 1 && fault.Column > 0, fault.ToString());
    }

    [Fact]
    public void Overriding_an_unknown_national_rule_is_a_fault()
    {
        var text = File.ReadAllText(DraftPath).Replace("overrides: [waitingPeriod]", "overrides: [waitingPeriods]", StringComparison.Ordinal);
        Assert.Contains("unknown national rule 'waitingPeriods'", Assert.Single(PolicyCheck.Check(text, "d.yaml").Faults).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_check_checks_the_national_file_and_places_its_faults()
    {
        var ok = PolicyCheck.CheckFile(NationalPath());
        Assert.True(ok.Ok, string.Join("\n", ok.Faults));
        Assert.Equal("国办发〔2024〕38号", ok.National!.DocumentNumber);

        var bad = File.ReadAllText(NationalPath()).Replace("localStandardCites: [waiting-local]", "localStandardCites: [waiting-locale]", StringComparison.Ordinal);
        var fault = Assert.Single(PolicyCheck.CheckNational(bad, "gbf.yaml").Faults);
        Assert.Contains("dangling clause id 'waiting-locale'", fault.Reason, StringComparison.Ordinal);
        Assert.Equal(bad.Split('\n').ToList().FindIndex(l => l.Contains("waiting-locale", StringComparison.Ordinal)) + 1, fault.Line);

        var unknown = File.ReadAllText(NationalPath()).Replace("fixedMonths: 3", "fixedMonth: 3", StringComparison.Ordinal);
        Assert.Contains("fixedMonth", Assert.Single(PolicyCheck.CheckNational(unknown, "gbf.yaml").Faults).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_committed_national_schema_is_generated_and_accepts_the_shipped_layer_and_rejects_an_unknown_key()
    {
        var committed = Path.Combine(Shipped.RepoRoot(), "src", "WeChatAssist.Policy", PolicySchema.NationalFileName);
        Assert.True(PolicySchema.GenerateNational() == File.ReadAllText(committed),
            $"{PolicySchema.NationalFileName} is stale: run `dotnet run --project src/WeChatAssist.Server --no-launch-profile -- policy schema --national > src/WeChatAssist.Policy/{PolicySchema.NationalFileName}`");
        var schema = JsonSchema.FromText(File.ReadAllText(committed));
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        Assert.True(schema.Evaluate(PolicySchemaTests.ToJson(File.ReadAllText(NationalPath())), options).IsValid);
        var unknown = File.ReadAllText(NationalPath()).Replace("fixedMonths: 3", "fixedMonth: 3", StringComparison.Ordinal);
        Assert.False(schema.Evaluate(PolicySchemaTests.ToJson(unknown), options).IsValid);
    }
}
