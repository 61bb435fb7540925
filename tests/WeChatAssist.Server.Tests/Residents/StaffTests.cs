using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class StaffTests(SqliteResidentServerFixture fixture) : IClassFixture<SqliteResidentServerFixture>
{
    private const string Password = "village-password-1";

    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task The_bootstrap_administrator_signs_in_with_a_cookie_and_is_bureau_staff()
    {
        using var client = NewClient();

        using var login = await client.PostAsJsonAsync("/api/v1/staff/login", new { userName = ResidentServer.AdminUser, password = ResidentServer.AdminPassword });
        using var me = await client.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(StaffExtensions.CookieName + "=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("admin", body.GetProperty("userName").GetString());
        Assert.Equal("bureau", body.GetProperty("role").GetString());
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM staff_users WHERE user_name = 'admin' AND password_hash NOT LIKE '%correct%'"));
    }

    [Fact]
    public async Task Without_signing_in_staff_endpoints_answer_401_not_a_redirect()
    {
        using var client = NewClient();

        using var me = await client.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative));
        using var residents = await client.GetAsync(new Uri("/api/v1/admin/residents", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, residents.StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var session = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var logout = await session.PostAsync("/api/v1/staff/logout");
        var me = await session.GetAsync("/api/v1/staff/me");

        Assert.Equal(HttpStatusCode.NoContent, logout.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, me.Status);
    }

    [Fact]
    public async Task Three_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var user = await CreateAsync(StaffRole.Village, "汉葭街道", "文家村");
        using var client = NewClient();

        var unknownUser = await LoginAsync(client, "nobody-" + user, Password);
        var first = await LoginAsync(client, user, "wrong");
        var second = await LoginAsync(client, user, "wrong");
        var third = await LoginAsync(client, user, "wrong");
        var right = await LoginAsync(client, user, Password);

        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, first.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
        Assert.Equal((HttpStatusCode)423, third.Status);
        Assert.Equal((HttpStatusCode)423, right.Status);
        Assert.Contains("15分钟", right.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("loginFailed", first.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_burst_of_parallel_wrong_passwords_gets_no_more_than_three_checked()
    {
        var user = await CreateAsync(StaffRole.Village, "汉葭街道", "文家村");
        using var client = NewClient();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => LoginAsync(client, user, "guess" + i)));
        var right = await LoginAsync(client, user, Password);

        Assert.True(results.Count(r => r.Status == HttpStatusCode.Unauthorized) <= 2, string.Join(",", results.Select(r => (int)r.Status)));
        Assert.True(results.Count(r => r.Status == (HttpStatusCode)423) >= 10);
        Assert.Equal((HttpStatusCode)423, right.Status);
    }

    [Fact]
    public async Task A_right_password_resets_the_failure_count()
    {
        var user = await CreateAsync(StaffRole.Township, "汉葭街道", null);
        using var client = NewClient();

        await LoginAsync(client, user, "wrong");
        await LoginAsync(client, user, "wrong");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(client, user, Password)).Status);
        await LoginAsync(client, user, "wrong");
        await LoginAsync(client, user, "wrong");

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(client, user, Password)).Status);
    }

    [Fact]
    public async Task A_village_cadre_sees_only_their_village_masked_and_every_read_is_audited()
    {
        var township = "镇" + Guid.NewGuid().ToString("N")[..6];
        var mine = TestIds.Next();
        var mineId = await Server.SeedAsync("钱多多", mine, township: township, village: "甲村");
        await Server.SeedAsync("钱少少", TestIds.Next(), township: township, village: "乙村");
        var user = await CreateAsync(StaffRole.Village, township, "甲村");
        using var client = NewClient();
        await LoginAsync(client, user, Password);

        using var list = await client.GetAsync(new Uri("/api/v1/admin/residents", UriKind.Relative));
        using var otherVillage = await client.GetAsync(new Uri($"/api/v1/admin/residents?village={Uri.EscapeDataString("乙村")}", UriKind.Relative));
        using var otherTownship = await client.GetAsync(new Uri($"/api/v1/admin/residents?township={Uri.EscapeDataString("别的镇")}", UriKind.Relative));

        var text = await list.Content.ReadAsStringAsync();
        var row = Assert.Single(JsonDocument.Parse(text).RootElement.EnumerateArray());
        Assert.Equal(mineId, row.GetProperty("id").GetInt64());
        Assert.Equal("钱**", row.GetProperty("name").GetString());
        Assert.Equal(mine[..4] + "**********" + mine[^4..], row.GetProperty("idNumber").GetString());
        Assert.DoesNotContain(mine[4..14], text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, otherVillage.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTownship.StatusCode);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE staff_user = '{user}' AND resident_id = {mineId} AND action = '{AdminResidentEndpoints.ListAction}'"));
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE staff_user = '{user}'"));
    }

    [Fact]
    public async Task Township_staff_see_every_village_of_their_township_and_may_narrow_to_one()
    {
        var township = "镇" + Guid.NewGuid().ToString("N")[..6];
        await Server.SeedAsync("孔一", TestIds.Next(), township: township, village: "甲村");
        await Server.SeedAsync("孔二", TestIds.Next(), township: township, village: "乙村");
        var user = await CreateAsync(StaffRole.Township, township, null);
        using var client = NewClient();
        await LoginAsync(client, user, Password);

        var all = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/admin/residents", UriKind.Relative));
        var one = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/admin/residents?village={Uri.EscapeDataString("乙村")}", UriKind.Relative));

        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal("孔*", Assert.Single(one.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(3, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE staff_user = '{user}'"));
    }

    private HttpClient NewClient() => Server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    private async Task<string> CreateAsync(StaffRole role, string? township, string? village)
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..10];
        await Server.Services.GetRequiredService<StaffStore>().CreateAsync(user, Password, role, "pengshui-2024", township, village, CancellationToken.None);
        return user;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> LoginAsync(HttpClient client, string userName, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/staff/login", new { userName, password });
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
