using System.Net;
using System.Text.Json;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class PaymentStartTests(SqliteResidentServerFixture fixture) : IClassFixture<SqliteResidentServerFixture>
{
    private ResidentServer Server => fixture.Server;

    [Theory]
    [InlineData(1, new string[0], 38000)]
    [InlineData(2, new string[0], 75500)]
    [InlineData(1, new[] { "dibao" }, 3800)]
    public async Task Paying_in_pengshui_opens_its_mini_program_for_the_engine_s_amount_and_records_an_intent(int tier, string[] categories, long fen)
    {
        var number = TestIds.Next();
        var (token, residentId) = await BoundAsync("蒋大", number, categories);

        var (status, body, text) = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId, tier });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(fen, body.GetProperty("amountFen").GetInt64());
        Assert.Equal(WeChatAssist.Policy.PolicyFormat.Yuan(fen), body.GetProperty("amount").GetString());
        Assert.Equal(2024, body.GetProperty("benefitYear").GetInt32());
        var channel = body.GetProperty("channel");
        Assert.Equal("miniProgram", channel.GetProperty("kind").GetString());
        Assert.Equal("社保云缴费", channel.GetProperty("name").GetString());
        Assert.Equal("wx00000000000000c1", channel.GetProperty("appId").GetString());
        Assert.Equal($"pages/resident-medical/index?year=2024&amount={fen}", channel.GetProperty("path").GetString());
        Assert.Contains("社保云缴费", body.GetProperty("notice").GetString(), StringComparison.Ordinal);
        Assert.Equal("蒋*", body.GetProperty("name").GetString());
        Assert.DoesNotContain(number[6..14], text, StringComparison.Ordinal);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_intents WHERE id = {body.GetProperty("intentId").GetInt64()} AND resident_id = {residentId} AND tier = {tier} AND amount_fen = {fen} AND channel = '社保云缴费' AND benefit_year = 2024"));
    }

    [Fact]
    public async Task With_two_tiers_the_resident_must_choose_one()
    {
        var (token, residentId) = await BoundAsync("韩二", TestIds.Next());

        var (status, body, _) = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("paymentTierMissing", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Someone_already_paid_for_the_benefit_year_is_not_sent_to_pay_again()
    {
        var (token, residentId) = await BoundAsync("杨三", TestIds.Next(), paidYear: 2024);

        var (status, body, _) = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId, tier = 1 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("paymentAlreadyPaid", body.GetProperty("code").GetString());
        Assert.Contains("2024年度", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM payment_intents WHERE resident_id = {residentId}"));
    }

    [Fact]
    public async Task A_tier_the_county_does_not_offer_is_refused()
    {
        var (token, residentId) = await BoundAsync("朱四", TestIds.Next());

        var (status, body, _) = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId, tier = 3 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.StartsWith("payment", body.GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM payment_intents WHERE resident_id = {residentId}"));
    }

    [Fact]
    public async Task Only_a_person_bound_to_the_caller_can_be_paid_for()
    {
        var stranger = await Server.SeedAsync("秦五", TestIds.Next());
        var (token, _) = await BoundAsync("尤六", TestIds.Next());

        var (status, body, _) = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId = stranger, tier = 1 });

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("paymentNotBound", body.GetProperty("code").GetString());
    }

    private async Task<(string Token, long ResidentId)> BoundAsync(string name, string number, string[]? categories = null, int? paidYear = null)
    {
        var residentId = await Server.SeedAsync(name, number, categories: categories, paidYear: paidYear);
        var token = await Server.SessionAsync(TestIds.OpenId());
        var (status, _, text) = await Server.BindAsync(token, name, number);
        Assert.True(status == HttpStatusCode.Created, text);
        return (token, residentId);
    }
}

/// <summary>Payment start on a day 闻喜 takes no payments (the tax system reconciles from the 26th to month end).</summary>
public sealed class PaymentPauseTests : IAsyncLifetime, IDisposable
{
    private readonly TempSqliteFile _file = new();
    private ResidentServer _server = null!;

    public async Task InitializeAsync() => _server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, _file.ConnectionString, new Dictionary<string, string?>
    {
        ["Clock:Now"] = "2023-11-27T10:00:00+08:00",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _file.Dispose();
    }

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task On_wenxi_s_reconciliation_days_payment_waits_for_the_first_of_next_month()
    {
        var number = TestIds.Next(region: "140823");
        var residentId = await _server.SeedAsync("曹七", number, policyId: "wenxi-2024", township: "桐城镇", village: "东关村");
        var token = await _server.SessionAsync(TestIds.OpenId(), account: "wenxi", appId: "wx0000000000000004");
        Assert.Equal(HttpStatusCode.Created, (await _server.BindAsync(token, "曹七", number)).Status);

        var (status, body, _) = await _server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("paymentPaused", body.GetProperty("code").GetString());
        Assert.Contains("2023年12月1日", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

public sealed class PaymentChannelsValidatorTests
{
    private static readonly Dictionary<string, PaymentChannelOptions> Entries = new()
    {
        ["mini-program"] = new() { Kind = PaymentChannelKind.MiniProgram, Name = "社保云缴费", AppId = "wx1", Path = "p?a={amountFen}" },
        ["h5"] = new() { Kind = PaymentChannelKind.H5, Name = "河南税务", Url = "https://tax.example/pay?y={benefitYear}" },
        ["no name"] = new() { Kind = PaymentChannelKind.H5, Url = "https://tax.example/" },
        ["no app id"] = new() { Kind = PaymentChannelKind.MiniProgram, Name = "x", Path = "p" },
        ["http"] = new() { Kind = PaymentChannelKind.H5, Name = "x", Url = "http://tax.example/" },
        ["id number placeholder"] = new() { Kind = PaymentChannelKind.H5, Name = "x", Url = "https://tax.example/?id={idNumber}" },
        ["bad env"] = new() { Kind = PaymentChannelKind.MiniProgram, Name = "x", AppId = "wx1", Path = "p", EnvVersion = "beta" },
    };

    [Theory]
    [InlineData("mini-program", null)]
    [InlineData("h5", null)]
    [InlineData("no name", "Name is required")]
    [InlineData("no app id", "AppId and Path")]
    [InlineData("http", "https")]
    [InlineData("id number placeholder", "{idNumber}")]
    [InlineData("bad env", "EnvVersion")]
    public void Each_channel_entry_is_checked_and_a_failure_names_its_key(string key, string? expected)
    {
        var options = new MiniProgramOptions { PaymentChannels = { [key] = Entries[key] } };

        var result = new PaymentChannelsValidator().Validate(null, options);

        if (expected is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains($"MiniProgram:PaymentChannels:{key}:", result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Placeholder_values_are_escaped_into_the_path()
    {
        var filled = PaymentChannelOptions.Fill("p?a={amountFen}&c={policyId}", new Dictionary<string, string> { ["amountFen"] = "38000", ["policyId"] = "a b&c" });

        Assert.Equal("p?a=38000&c=a%20b%26c", filled);
    }
}
