using System.Net;
using System.Text.Json;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>One SQLite server for the mini-program tests; each test uses its own OpenIDs and residents.</summary>
public sealed class SqliteResidentServerFixture : IAsyncLifetime, IDisposable
{
    private readonly TempSqliteFile _file = new();

    internal ResidentServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, _file.ConnectionString);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _file.Dispose();
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Unique valid 身份证 numbers for seeding (the validator itself is tested against independent values).</summary>
internal static class TestIds
{
    private static int _sequence = 100;

    public static string Next(string region = "500243", string birth = "19800101")
    {
        var first17 = region + birth + Interlocked.Increment(ref _sequence).ToString("000", System.Globalization.CultureInfo.InvariantCulture);
        return first17 + ResidentIdNumber.CheckCharacter(first17);
    }

    public static string OpenId() => "oMp" + Guid.NewGuid().ToString("N")[..20];
}

public sealed class MiniProgramTests(SqliteResidentServerFixture fixture) : IClassFixture<SqliteResidentServerFixture>
{
    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task A_session_answers_our_token_only_never_wechat_s_session_key()
    {
        var code = await Server.IssueCodeAsync(ResidentServer.AppId, TestIds.OpenId());

        var (status, body, _) = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/session", null, new { account = ResidentServer.Account, code });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["token", "expiresAt"], body.EnumerateObject().Select(p => p.Name));
        Assert.True(body.GetProperty("token").GetString()!.Length > 40);
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM mp_sessions WHERE session_key_encrypted NOT LIKE 'dev:%'"));
    }

    [Fact]
    public async Task A_code_is_good_for_one_session_only()
    {
        var code = await Server.IssueCodeAsync(ResidentServer.AppId, TestIds.OpenId());
        var first = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/session", null, new { account = ResidentServer.Account, code });

        var second = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/session", null, new { account = ResidentServer.Account, code });

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
        Assert.Equal("sessionRejected", second.Body.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("pengshui", "", "sessionCodeMissing")]
    [InlineData("nowhere", "abc", "sessionAccountUnknown")]
    public async Task A_session_request_without_code_or_with_an_unknown_account_is_a_bad_request(string account, string code, string expected)
    {
        var (status, body, _) = await Server.SendAsync(HttpMethod.Post, "/api/v1/mp/session", null, new { account, code });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(expected, body.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged-token")]
    public async Task Me_and_bindings_need_a_valid_token(string? token)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.MeAsync(token!)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.BindAsync(token!, "张三", TestIds.Next())).Status);
    }

    [Fact]
    public async Task A_staff_cookie_is_not_a_mini_program_session()
    {
        using var staff = Server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = await staff.PostAsync(
            new Uri("/api/v1/staff/login", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { userName = ResidentServer.AdminUser, password = ResidentServer.AdminPassword }));

        using var me = await staff.GetAsync(new Uri("/api/v1/mp/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task A_mini_program_token_is_not_a_staff_session()
    {
        var token = await Server.SessionAsync(TestIds.OpenId());

        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.SendAsync(HttpMethod.Get, "/api/v1/staff/me", token, null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.SendAsync(HttpMethod.Get, "/api/v1/admin/residents", token, null)).Status);
    }

    [Fact]
    public async Task Binding_oneself_shows_the_person_masked_with_today_s_quote_from_the_policy_engine()
    {
        var id = TestIds.Next(birth: "19700315");
        await Server.SeedAsync("张三丰", id, categories: ["dibao"]);
        var token = await Server.SessionAsync(TestIds.OpenId());

        var bind = await Server.BindAsync(token, "张三丰", id.ToLowerInvariant());
        var me = await Server.MeAsync(token);

        Assert.Equal(HttpStatusCode.Created, bind.Status);
        Assert.Equal("张**", bind.Body.GetProperty("name").GetString());
        Assert.Equal(id[..4] + "**********" + id[^4..], bind.Body.GetProperty("idNumber").GetString());
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("2023-11-15", me.Body.GetProperty("today").GetString());
        var person = Assert.Single(me.Body.GetProperty("people").EnumerateArray());
        Assert.Equal("self", person.GetProperty("relation").GetString());
        Assert.Equal("unpaid", person.GetProperty("status").GetString());
        Assert.Equal(2024, person.GetProperty("benefitYear").GetInt32());
        Assert.Equal("pengshui-2024", person.GetProperty("policyId").GetString());

        // Exactly the answers the public quote endpoint gives for these facts: one engine, not a copy.
        var quotes = person.GetProperty("quotes").EnumerateArray().ToArray();
        Assert.Equal(2, quotes.Length);
        for (var tier = 1; tier <= 2; tier++)
        {
            using var reference = await Server.Client.GetAsync(new Uri($"/api/v1/policies/pengshui-2024/quote?category=dibao&birthDate=1970-03-15&tier={tier}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
            Assert.Equal(JsonDocument.Parse(await reference.Content.ReadAsStringAsync()).RootElement.ToString(), quotes[tier - 1].ToString());
        }

        Assert.Equal("2023-12-31", quotes[0].GetProperty("deadline").GetString());
        Assert.Equal("2024-01-01", quotes[0].GetProperty("benefitStart").GetString());
        Assert.Equal(3800, quotes[0].GetProperty("individualDueFen").GetInt64());
        Assert.Equal(37500, quotes[1].GetProperty("individualDueFen").GetInt64());
        Assert.DoesNotContain(id[4..14], me.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("张三丰", me.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resident_paid_for_the_benefit_year_shows_as_paid()
    {
        var id = TestIds.Next();
        await Server.SeedAsync("李四", id, paidYear: 2024);
        var token = await Server.SessionAsync(TestIds.OpenId());

        await Server.BindAsync(token, "李四", id);
        var person = Assert.Single((await Server.MeAsync(token)).Body.GetProperty("people").EnumerateArray());

        Assert.Equal("paid", person.GetProperty("status").GetString());
        Assert.Equal("2023-10-20", person.GetProperty("paidOn").GetString());
    }

    [Fact]
    public async Task A_wrong_name_and_an_unknown_number_get_the_same_answer()
    {
        var id = TestIds.Next();
        await Server.SeedAsync("王五", id);
        var token = await Server.SessionAsync(TestIds.OpenId());

        var wrongName = await Server.BindAsync(token, "王六", id);
        var unknown = await Server.BindAsync(token, "王五", TestIds.Next());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongName.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.Status);
        foreach (var field in new[] { "status", "title", "detail", "code" })
        {
            Assert.Equal(wrongName.Body.GetProperty(field).ToString(), unknown.Body.GetProperty(field).ToString());
        }

        Assert.Equal("bindingNotMatched", wrongName.Body.GetProperty("code").GetString());
        Assert.Contains("对不上", wrongName.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resident_of_another_county_cannot_be_bound_through_this_county_s_mini_program()
    {
        var id = TestIds.Next(region: "411728");
        await Server.SeedAsync("赵六", id, policyId: "suiping-2025");
        var token = await Server.SessionAsync(TestIds.OpenId());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Server.BindAsync(token, "赵六", id)).Status);
    }

    [Theory]
    [InlineData("50024319800101", "idWrongLength")]
    [InlineData("500243198013011234", "idInvalidBirthDate")]
    [InlineData("500243198001011230", "idChecksumMismatch")]
    public async Task A_malformed_number_is_explained_in_plain_chinese_without_echoing_it(string idNumber, string expected)
    {
        var token = await Server.SessionAsync(TestIds.OpenId());

        var (status, body, text) = await Server.BindAsync(token, "张三", idNumber);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(expected, body.GetProperty("code").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", body.GetProperty("detail").GetString());
        Assert.DoesNotContain(idNumber, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_failures_within_the_hour_lock_binding_even_for_the_right_answer()
    {
        var id = TestIds.Next();
        await Server.SeedAsync("孙七", id);
        var openId = TestIds.OpenId();
        var token = await Server.SessionAsync(openId);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Server.BindAsync(token, "孙七", TestIds.Next())).Status);
        }

        var locked = await Server.BindAsync(token, "孙七", id);
        var otherUser = await Server.BindAsync(await Server.SessionAsync(TestIds.OpenId()), "孙七", id);

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Equal("bindingLocked", locked.Body.GetProperty("code").GetString());
        Assert.Contains("60分钟", locked.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, otherUser.Status);
    }

    [Fact]
    public async Task A_burst_of_parallel_guesses_gets_no_more_than_five_through()
    {
        var token = await Server.SessionAsync(TestIds.OpenId());
        var guesses = Enumerable.Range(0, 20).Select(_ => TestIds.Next()).ToArray();

        var results = await Task.WhenAll(guesses.Select(id => Server.BindAsync(token, "猜测", id)));

        Assert.True(results.Count(r => r.Status == HttpStatusCode.UnprocessableEntity) <= 5, string.Join(",", results.Select(r => (int)r.Status)));
        Assert.True(results.Count(r => r.Status == HttpStatusCode.TooManyRequests) >= 15);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Server.BindAsync(token, "猜测", TestIds.Next())).Status);
    }

    [Fact]
    public async Task A_new_session_of_the_same_openid_is_still_locked()
    {
        var openId = TestIds.OpenId();
        var token = await Server.SessionAsync(openId);
        for (var i = 0; i < 5; i++)
        {
            await Server.BindAsync(token, "周八", "500243198013011234");
        }

        var again = await Server.BindAsync(await Server.SessionAsync(openId), "周八", TestIds.Next());

        Assert.Equal(HttpStatusCode.TooManyRequests, again.Status);
    }

    [Fact]
    public async Task One_self_and_up_to_the_family_limit_others_can_be_bound_each_once()
    {
        var self = TestIds.Next();
        var family = new[] { TestIds.Next(birth: "20100101"), TestIds.Next(birth: "20120101"), TestIds.Next(birth: "19500101") };
        await Server.SeedAsync("吴一", self);
        foreach (var id in family)
        {
            await Server.SeedAsync("吴二", id);
        }

        var token = await Server.SessionAsync(TestIds.OpenId());

        Assert.Equal(HttpStatusCode.Created, (await Server.BindAsync(token, "吴一", self)).Status);
        Assert.Equal("bindingExists", (await Server.BindAsync(token, "吴一", self, "family")).Body.GetProperty("code").GetString());
        Assert.Equal("selfExists", (await Server.BindAsync(token, "吴二", family[0], "self")).Body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, (await Server.BindAsync(token, "吴二", family[0], "family")).Status);
        Assert.Equal(HttpStatusCode.Created, (await Server.BindAsync(token, "吴二", family[1], "family")).Status);
        var third = await Server.BindAsync(token, "吴二", family[2], "family");
        Assert.Equal(HttpStatusCode.Conflict, third.Status);
        Assert.Equal("familyLimit", third.Body.GetProperty("code").GetString());
        Assert.Contains("2位", third.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, (await Server.MeAsync(token)).Body.GetProperty("people").GetArrayLength());
    }

    [Fact]
    public async Task Names_are_matched_ignoring_spaces()
    {
        var id = TestIds.Next();
        await Server.SeedAsync("郑 九", id);
        var token = await Server.SessionAsync(TestIds.OpenId());

        Assert.Equal(HttpStatusCode.Created, (await Server.BindAsync(token, " 郑九　", id)).Status);
    }

    [Fact]
    public async Task The_registry_stores_names_and_numbers_only_encrypted()
    {
        var id = TestIds.Next();
        var residentId = await Server.SeedAsync("冯十", id);

        var target = (DatabaseTarget)Server.Services.GetService(typeof(DatabaseTarget))!;
        await using var command = target.DataSource.CreateCommand($"SELECT name_encrypted, id_number_encrypted, id_hash FROM residents WHERE id = {residentId}");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = string.Join("|", reader.GetString(0), reader.GetString(1), reader.GetString(2));
        Assert.DoesNotContain("冯十", row, StringComparison.Ordinal);
        Assert.DoesNotContain(id[6..14], row, StringComparison.Ordinal);
        Assert.StartsWith("dev:", reader.GetString(0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bind_flow_never_writes_the_name_or_id_number_to_the_log()
    {
        var id = TestIds.Next(birth: "19671203");
        await Server.SeedAsync("褚十一", id);
        var token = await Server.SessionAsync(TestIds.OpenId());
        var logLinesBefore = Server.Logs.Lines.Count;

        await Server.BindAsync(token, "褚十二", id);
        await Server.BindAsync(token, "褚十一", id[..17] + (id[17] == '0' ? "1" : "0"));
        await Server.BindAsync(token, "褚十一", id);
        await Server.MeAsync(token);

        var log = string.Join("\n", Server.Logs.Lines);
        Assert.True(Server.Logs.Lines.Count > logLinesBefore, "the flow should have produced log lines to check");
        Assert.Contains("/api/v1/mp/bindings", log, StringComparison.Ordinal);
        Assert.DoesNotContain(id[6..14], log, StringComparison.Ordinal);
        Assert.DoesNotContain(id[..17], log, StringComparison.Ordinal);
        Assert.DoesNotContain("褚十", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unionid_links_the_bindings_of_one_person_across_the_official_account_and_the_mini_program()
    {
        var store = (WeChatAssist.Server.MiniProgram.BindingStore)Server.Services.GetService(typeof(WeChatAssist.Server.MiniProgram.BindingStore))!;
        var residentId = await Server.SeedAsync("陈一", TestIds.Next());
        var union = "oUnion" + Guid.NewGuid().ToString("N")[..10];
        await store.AddAsync("wxOfficialAccount", TestIds.OpenId(), union, residentId, WeChatAssist.Server.MiniProgram.BindingRelation.Self, null, CancellationToken.None);

        var sameUnion = await store.ListAsync(ResidentServer.AppId, TestIds.OpenId(), union, CancellationToken.None);
        var noUnion = await store.ListAsync(ResidentServer.AppId, TestIds.OpenId(), null, CancellationToken.None);

        Assert.Equal(residentId, Assert.Single(sameUnion).ResidentId);
        Assert.Empty(noUnion);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_mini_program_staff_corrections_payment_and_policy_endpoints()
    {
        using var response = await Server.Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/mp/session", "/api/v1/mp/bindings", "/api/v1/mp/me", "/api/v1/staff/login", "/api/v1/staff/logout", "/api/v1/staff/me", "/api/v1/admin/residents", "/api/v1/policies/{id}/quote",
            "/api/v1/mp/corrections", "/api/v1/mp/payments", "/api/v1/staff/antiforgery", "/api/v1/admin/corrections", "/api/v1/admin/corrections/{id}",
            "/api/v1/admin/corrections/{id}/photo", "/api/v1/admin/corrections/{id}/approve", "/api/v1/admin/corrections/{id}/reject",
            "/api/v1/admin/residents/{id}/history", "/api/v1/admin/staff", "/api/v1/admin/staff/{id}/disable", "/api/v1/admin/staff/{id}/enable",
            "/api/v1/admin/staff/{id}/password", "/api/v1/admin/staff/{id}/unlock" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    [Fact]
    public async Task The_sweep_deletes_expired_sessions_and_attempts_outside_the_lockout_window()
    {
        var target = (DatabaseTarget)Server.Services.GetService(typeof(DatabaseTarget))!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var old = now - (long)TimeSpan.FromHours(2).TotalMilliseconds;
        await using (var insert = target.DataSource.CreateCommand($"""
            INSERT INTO mp_sessions (session_id, account, app_id, open_id, session_key_encrypted, created_at, expires_at)
            VALUES ('sweep-expired', 'pengshui', 'wx', 'oSweep', 'dev:x', {old}, {old}), ('sweep-live', 'pengshui', 'wx', 'oSweep', 'dev:x', {now}, {now + 3_600_000});
            INSERT INTO binding_attempts (app_id, open_id, at, success) VALUES ('wx', 'oSweep', {old}, 0), ('wx', 'oSweep', {now}, 0);
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }

        Server.Services.TriggerRecurringJob<WeChatAssist.Server.MiniProgram.MiniProgramSweepJob>();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        // The job deletes sessions and then attempts in two statements: wait for both before asserting.
        while ((await Server.CountAsync("SELECT COUNT(*) FROM mp_sessions WHERE open_id = 'oSweep'") > 1
                || await Server.CountAsync("SELECT COUNT(*) FROM binding_attempts WHERE open_id = 'oSweep'") > 1)
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM mp_sessions WHERE session_id = 'sweep-live'"));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM mp_sessions WHERE session_id = 'sweep-expired'"));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM binding_attempts WHERE open_id = 'oSweep'"));
    }
}
