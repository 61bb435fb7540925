namespace WeChatAssist.Policy.Tests;

/// <summary>Properties that hold for every policy, category, tier and day, so data and engine cannot drift apart.</summary>
public class InvariantTests
{
    public static TheoryData<string> PolicyIds()
    {
        var data = new TheoryData<string>();
        foreach (var p in Shipped.Catalog.All)
        {
            data.Add(p.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyIds))]
    public void Every_stated_category_and_tier_in_the_window_pays_the_tier_less_a_direct_subsidy(string id)
    {
        var p = Shipped.Get(id);
        var day = p.CollectionWindow.From;
        foreach (var c in p.Categories.Where(c => c.Status == SubsidyStatus.Stated))
        {
            foreach (var s in c.Subsidies)
            {
                var q = p.Quote(new ResidentFacts { Categories = [c.Code], Tier = s.Tier, MonitoringRiskCleared = false, BirthDate = new DateOnly(1950, 1, 1) }, day);
                var tierFen = p.Tiers.Single(t => t.Number == s.Tier).IndividualFen;
                Assert.Equal(QuoteOutcome.Ok, q.Outcome);
                Assert.Equal(s.SubsidyFen, q.SubsidyFen);
                Assert.Equal(c.Mode == SubsidyMode.Reimbursed ? tierFen : tierFen - s.SubsidyFen, q.IndividualDueFen);
                Assert.Equal(c.Funder, q.SubsidyFunder);
                Assert.Contains(q.Citations, x => c.Cites.Any(cc => cc.Id == x.ClauseId));
            }
        }
    }

    [Theory]
    [MemberData(nameof(PolicyIds))]
    public void A_quote_without_a_tier_states_the_late_fiscal_rule_exactly_when_each_tiers_quote_charges_it(string id)
    {
        var p = Shipped.Get(id);
        for (var day = p.CollectionWindow.From; day <= p.BenefitPeriod.To; day = day.AddDays(1))
        {
            var tierless = p.Quote(new ResidentFacts { PaidLastYear = true }, day);
            if (tierless.Missing != MissingFact.Tier)
            {
                continue;
            }

            var charged = p.Tiers.Select(t => p.Quote(new ResidentFacts { PaidLastYear = true, Tier = t.Number }, day).FiscalSubsidyPaidByResidentFen).ToList();
            var stated = tierless.Explanation.Where(s => s.Kind == ExplanationKind.LateFiscalAnyTier).ToList();
            Assert.Equal(charged.All(f => f > 0) ? 1 : 0, stated.Count);
            Assert.All(stated, s => Assert.Equal(charged[0], s.Fen1));
        }
    }

    [Theory]
    [MemberData(nameof(PolicyIds))]
    public void Every_day_around_the_benefit_year_gives_a_consistent_answer(string id)
    {
        var p = Shipped.Get(id);
        var facts = new ResidentFacts { Tier = 1, PaidLastYear = true };
        for (var day = p.CollectionWindow.From.AddDays(-3); day <= p.BenefitPeriod.To.AddDays(3); day = day.AddDays(1))
        {
            var q = p.Quote(facts, day);
            Assert.NotEmpty(q.Explanation);
            if (q.Outcome is QuoteOutcome.Ok)
            {
                Assert.True(q.IndividualDueFen > 0, $"{id} {day}");
                Assert.NotNull(q.BenefitStart);
                Assert.True(q.BenefitStart <= q.BenefitEnd, $"{id} {day}");
                Assert.True(q.BenefitStart > day, $"{id} {day}: cover starts after payment");
                Assert.Equal(p.BenefitPeriod.To, q.BenefitEnd);
                Assert.Equal(day >= p.CollectionWindow.From && p.IsPayable(day), q.Payable);
            }

            if (q.Payable)
            {
                Assert.Equal(day, q.NextPayableDate);
            }
            else if (q.NextPayableDate is { } next)
            {
                Assert.True(next > day);
                Assert.True(p.IsPayable(next), $"{id} {day}: next payable day {next} is payable");
            }

            if (q.Outcome is QuoteOutcome.Ok && q.Deadline is { } deadline)
            {
                Assert.True(deadline >= day || !q.Payable, $"{id} {day}: deadline {deadline} not passed");
            }
        }
    }

    [Theory]
    [MemberData(nameof(PolicyIds))]
    public void Money_never_goes_below_zero_for_any_single_category_and_tier_on_any_day(string id)
    {
        var p = Shipped.Get(id);
        foreach (var c in p.Categories)
        {
            foreach (var tier in p.Tiers)
            {
                for (var day = p.CollectionWindow.From; day <= p.BenefitPeriod.To; day = day.AddDays(7))
                {
                    var q = p.Quote(new ResidentFacts { Categories = [c.Code], Tier = tier.Number, PaidLastYear = true, MonitoringRiskCleared = true, BirthDate = new DateOnly(2010, 1, 1) }, day);
                    Assert.True(q.IndividualDueFen is null or >= 0);
                    Assert.True(q.SubsidyFen is null or >= 0);
                    if (q.IndividualDueFen is null)
                    {
                        Assert.NotEqual(QuoteOutcome.Ok, q.Outcome);
                        Assert.NotNull(q.DeferringClause);
                    }
                }
            }
        }
    }
}
