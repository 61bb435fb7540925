using System.Net;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>The registry, binding, lockout, staff scope and audit on PostgreSQL (schema 0005's other dialect).</summary>
public sealed class PostgresResidentTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Binding_lockout_me_and_the_audited_staff_list_work_on_postgres()
    {
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());
        var id = TestIds.Next(birth: "19880808");
        await server.SeedAsync("欧阳娜娜", id, categories: ["dibao"], paidYear: 2024);
        var token = await server.SessionAsync(TestIds.OpenId());

        var notMatched = await server.BindAsync(token, "欧阳娜", id);
        var bound = await server.BindAsync(token, "欧阳娜娜", id);
        var me = await server.MeAsync(token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, notMatched.Status);
        Assert.Equal(HttpStatusCode.Created, bound.Status);
        Assert.Equal("欧阳**", bound.Body.GetProperty("name").GetString());
        var person = Assert.Single(me.Body.GetProperty("people").EnumerateArray());
        Assert.Equal("paid", person.GetProperty("status").GetString());
        Assert.Equal("2023-10-20", person.GetProperty("paidOn").GetString());
        Assert.Equal(2, person.GetProperty("quotes").GetArrayLength());

        var attacker = await server.SessionAsync(TestIds.OpenId());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.BindAsync(attacker, "欧阳娜娜", TestIds.Next())).Status);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.BindAsync(attacker, "欧阳娜娜", id)).Status);
        Assert.Equal(6, await server.CountAsync("SELECT COUNT(*) FROM binding_attempts WHERE success = false")); // the refused attempt while locked is not counted

        using var staff = server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = await staff.PostAsync(
            new Uri("/api/v1/staff/login", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { userName = ResidentServer.AdminUser, password = ResidentServer.AdminPassword }));
        using var list = await staff.GetAsync(new Uri("/api/v1/admin/residents?policyId=pengshui-2024", UriKind.Relative));
        var text = await list.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("欧阳**", text, StringComparison.Ordinal);
        Assert.DoesNotContain(id[4..14], text, StringComparison.Ordinal);
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM audit_log WHERE staff_user = 'admin'"));
    }

    [Fact]
    public async Task Staff_lockout_works_on_postgres()
    {
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());

        var statuses = new List<HttpStatusCode>();
        foreach (var password in new[] { "x", "y", "z", ResidentServer.AdminPassword })
        {
            using var response = await server.Client.PostAsync(
                new Uri("/api/v1/staff/login", UriKind.Relative),
                System.Net.Http.Json.JsonContent.Create(new { userName = ResidentServer.AdminUser, password }));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, (HttpStatusCode)423, (HttpStatusCode)423], statuses);
    }

    [Fact]
    public async Task Tokens_and_staff_cookies_issued_by_one_node_are_accepted_by_another()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var first = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database);
        await using var second = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database);
        var token = await first.SessionAsync(TestIds.OpenId());
        using var login = await first.Client.PostAsync(
            new Uri("/api/v1/staff/login", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { userName = ResidentServer.AdminUser, password = ResidentServer.AdminPassword }));
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(Server.Staff.StaffExtensions.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];

        var me = await second.MeAsync(token);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/staff/me", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var staffMe = await second.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(HttpStatusCode.OK, staffMe.StatusCode);
        Assert.True(await second.CountAsync("SELECT COUNT(*) FROM data_protection_keys") >= 1);
    }
}
