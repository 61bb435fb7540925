using System.Net;
using System.Text.Json;

namespace WeChatAssist.Server.Tests.Policies;

public sealed class PolicyEndpointTests(PolicyServerFixture server) : IClassFixture<PolicyServerFixture>
{
    [Fact]
    public async Task Policies_list_names_the_four_notices_by_benefit_year()
    {
        using var response = await server.Client.GetAsync(new Uri("/api/v1/policies", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var years = body.EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("benefitYear").GetInt32());
        Assert.Equal(
            new Dictionary<string, int> { ["dianjiang-xinmin-2024"] = 2024, ["pengshui-2024"] = 2024, ["suiping-2025"] = 2025, ["wenxi-2024"] = 2024 },
            years);
        var suiping = body.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "suiping-2025");
        Assert.Equal("2024-09-20", suiping.GetProperty("collectionFrom").GetString());
        Assert.Equal("2025-01-01", suiping.GetProperty("benefitFrom").GetString());
    }

    [Fact]
    public async Task Policy_detail_carries_the_township_targets_with_their_stated_total()
    {
        using var response = await server.Client.GetAsync(new Uri("/api/v1/policies/pengshui-2024", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var table = Assert.Single(body.GetProperty("targets").EnumerateArray());
        Assert.Equal(554440, table.GetProperty("total").GetInt64());
        Assert.Equal(39, table.GetProperty("rows").GetArrayLength());
        Assert.Equal(13, body.GetProperty("categories").EnumerateArray().Count(c => c.GetProperty("tiers").GetArrayLength() > 0));
        Assert.False(body.GetProperty("paymentChannelsStated").GetBoolean());
    }

    [Theory]
    // policy, category, tier, paidOn, individual fen, subsidy fen, funder, mode, benefit start, a clause the answer must cite
    [InlineData("pengshui-2024", "低保户", "1", "2023-11-01", 3800, 34200, "医疗救助资金", "direct", "2024-01-01", "att2")]
    [InlineData("pengshui-2024", "特困人员（含城乡孤儿、事实无人抚养儿童）", "2", "2023-12-31", 37500, 38000, "医疗救助资金", "direct", "2024-01-01", "att2")]
    [InlineData("pengshui-2024", "", "1", "2024-07-01", 102000, 0, null, "none", "2024-09-30", "national-fiscal-subsidy-2024")]
    [InlineData("dianjiang-xinmin-2024", "", "2", "2024-09-30", 139500, 0, null, "none", "2024-12-30", "s2-4-b")]
    [InlineData("dianjiang-xinmin-2024", "", "1", "2024-01-15", 38000, 0, null, "none", "2024-02-01", "s2-4-a")]
    [InlineData("suiping-2025", "脱贫人口", "", "2024-10-01", 40000, 40000, "县财政", "reimbursed", "2025-01-01", "s1-3-2")]
    [InlineData("suiping-2025", "低保对象", "", "2024-10-01", 31000, 9000, "县财政", "direct", "2025-01-01", "s1-3-1")]
    [InlineData("wenxi-2024", "农村低保家庭成员", "", "2023-10-01", 7600, 30400, "医疗救助资金", "direct", "2024-01-01", "s2-6")]
    public async Task Quote_gives_the_notices_amounts_and_dates(
        string policy, string category, string tier, string paidOn, long due, long subsidy, string? funder, string mode, string benefitStart, string clause)
    {
        var (status, body, _) = await server.QuoteAsync(policy, ("category", category), ("tier", tier), ("paidOn", paidOn));

        Assert.Equal(200, status);
        Assert.Equal(due, body.GetProperty("individualDueFen").GetInt64());
        Assert.Equal(subsidy, body.GetProperty("subsidyFen").GetInt64());
        Assert.Equal(funder, body.GetProperty("subsidyFunder").GetString());
        Assert.Equal(mode, body.GetProperty("subsidyMode").GetString());
        Assert.Equal(benefitStart, body.GetProperty("benefitStart").GetString());
        Assert.True(body.GetProperty("payable").GetBoolean());
        Assert.Contains(clause, body.GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("clauseId").GetString()));
        Assert.All(body.GetProperty("explanation").EnumerateArray(), step => Assert.False(string.IsNullOrWhiteSpace(step.GetProperty("text").GetString())));
    }

    [Fact]
    public async Task Quote_without_paidOn_uses_the_business_date()
    {
        var (status, body, _) = await server.QuoteAsync("pengshui-2024", ("tier", "1"));

        Assert.Equal(200, status);
        Assert.Equal("2023-11-15", body.GetProperty("paidOn").GetString());
        Assert.Equal(38000, body.GetProperty("individualDueFen").GetInt64());
        Assert.Equal("2023-12-31", body.GetProperty("deadline").GetString());
    }

    [Fact]
    public async Task Quote_on_wenxis_26th_is_not_payable_and_names_the_first_of_next_month()
    {
        var (status, body, _) = await server.QuoteAsync("wenxi-2024", ("paidOn", "2023-09-26"));

        Assert.Equal(200, status);
        Assert.False(body.GetProperty("payable").GetBoolean());
        Assert.Equal("2023-10-01", body.GetProperty("nextPayableDate").GetString());
        Assert.Equal("2023-12-25", body.GetProperty("deadline").GetString());
    }

    [Fact]
    public async Task Quote_after_dianjiangs_final_day_says_no_longer_payable()
    {
        var (status, body, _) = await server.QuoteAsync("dianjiang-xinmin-2024", ("tier", "1"), ("paidOn", "2024-10-01"));

        Assert.Equal(200, status);
        Assert.Equal("outsideWindow", body.GetProperty("outcome").GetString());
        Assert.False(body.GetProperty("payable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("individualDueFen").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("nextPayableDate").ValueKind);
    }

    [Fact]
    public async Task Hardship_amount_dianjiang_defers_is_422_citing_its_clause_and_whom_to_ask()
    {
        var (status, body, contentType) = await server.QuoteAsync("dianjiang-xinmin-2024", ("category", "低保户"), ("tier", "1"), ("paidOn", "2023-11-01"));

        Assert.Equal(422, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal("notStated", body.GetProperty("outcome").GetString());
        Assert.Equal("三、（一）", body.GetProperty("deferringClause").GetProperty("numbering").GetString());
        Assert.Contains("垫新民府发〔2023〕93号三、（一）", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("镇社保所", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, body.GetProperty("contacts").GetArrayLength());
    }

    [Fact]
    public async Task Tier_one_for_pengshuis_key_entitled_group_is_422_tier_not_offered()
    {
        var (status, body, _) = await server.QuoteAsync("pengshui-2024", ("category", "重点优抚对象"), ("tier", "1"), ("paidOn", "2023-11-01"));

        Assert.Equal(422, status);
        Assert.Equal("tierNotOffered", body.GetProperty("outcome").GetString());
        Assert.Equal("附件2", body.GetProperty("deferringClause").GetProperty("numbering").GetString());
    }

    [Fact]
    public async Task A_category_the_county_does_not_have_is_422_not_another_countys_rule()
    {
        var (status, body, _) = await server.QuoteAsync("wenxi-2024", ("category", "重点优抚对象"), ("paidOn", "2023-10-01"));

        Assert.Equal(422, status);
        Assert.Equal("categoryNotInCounty", body.GetProperty("outcome").GetString());
        Assert.Contains("0359-8801801", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_tier_is_422_naming_the_parameter_with_both_options()
    {
        var (status, body, _) = await server.QuoteAsync("pengshui-2024", ("category", "低保对象"), ("paidOn", "2023-11-01"));

        Assert.Equal(422, status);
        Assert.Equal("tier", body.GetProperty("missing").GetString());
        var options = body.GetProperty("options").EnumerateArray().ToDictionary(o => o.GetProperty("tier").GetInt32(), o => o.GetProperty("individualDueFen").GetInt64());
        Assert.Equal(new Dictionary<int, long> { [1] = 3800, [2] = 37500 }, options);
    }

    [Fact]
    public async Task Late_payment_in_wenxi_needs_to_know_whether_the_resident_paid_last_year()
    {
        var (status, body, _) = await server.QuoteAsync("wenxi-2024", ("paidOn", "2024-01-10"));
        Assert.Equal(422, status);
        Assert.Equal("paidLastYear", body.GetProperty("missing").GetString());

        (status, body, _) = await server.QuoteAsync("wenxi-2024", ("paidOn", "2024-01-10"), ("paidLastYear", "true"));
        Assert.Equal(200, status);
        Assert.Equal(102000, body.GetProperty("individualDueFen").GetInt64());
        Assert.Equal("2024-04-11", body.GetProperty("benefitStart").GetString());
    }

    [Theory]
    [InlineData("tier", "3")]
    [InlineData("paidOn", "2024-02-30")]
    [InlineData("paidOn", "20231101")]
    [InlineData("paidOn", "1899-12-31")]
    [InlineData("birthDate", "2024-13-01")]
    [InlineData("student", "university")]
    [InlineData("paidLastYear", "yes")]
    public async Task A_bad_parameter_is_400_problem_naming_it(string parameter, string value)
    {
        var (status, body, contentType) = await server.QuoteAsync("pengshui-2024", (parameter, value));

        Assert.Equal(400, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(parameter, body.GetProperty("parameter").GetString());
        Assert.StartsWith(parameter + "：", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_birth_date_after_the_payment_date_is_400()
    {
        var (status, body, _) = await server.QuoteAsync("dianjiang-xinmin-2024", ("birthDate", "2024-05-01"), ("paidOn", "2024-04-01"));

        Assert.Equal(400, status);
        Assert.Equal("birthDate", body.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task An_unknown_policy_is_404_problem()
    {
        var (status, body, contentType) = await server.QuoteAsync("nowhere-2024", ("tier", "1"));

        Assert.Equal(404, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("nowhere-2024", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
