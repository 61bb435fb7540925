using System.Net;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Corrections;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>Account management, the bureau's unscoped correction queue and payment start on PostgreSQL (schema 10's other dialect).</summary>
public sealed class PostgresStaffManagementTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Accounts_the_bureau_queue_and_payment_start_work_on_postgres()
    {
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());
        using var admin = await StaffSession.SignInAsync(server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var created = await admin.PostAsync("/api/v1/admin/staff", new { userName = "township-pg", password = "township-password", role = "township", policyId = "pengshui-2024", township = "汉葭街道" });
        var taken = await admin.PostAsync("/api/v1/admin/staff", new { userName = "township-pg", password = "township-password", role = "township", policyId = "pengshui-2024", township = "汉葭街道" });
        var list = await admin.GetAsync("/api/v1/admin/staff");
        var disabled = await admin.PostAsync($"/api/v1/admin/staff/{created.Body.GetProperty("id").GetInt64()}/disable");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Equal(2, list.Body.GetArrayLength());
        Assert.True(disabled.Body.GetProperty("disabled").GetBoolean());

        var (token, residentId, _) = await server.BoundResidentAsync("潘十八", TestIds.Next());
        var submitted = await server.SubmitAsync(token, residentId, "category", "低保");
        var queue = await admin.GetAsync("/api/v1/admin/corrections");
        var payment = await server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId, tier = 2 });

        Assert.Equal(HttpStatusCode.Created, submitted.Status);
        Assert.Equal(submitted.Body.GetProperty("id").GetInt64(), Assert.Single(queue.Body.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(75500, payment.Body.GetProperty("amountFen").GetInt64());
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM payment_intents WHERE resident_id = {residentId} AND amount_fen = 75500"));
    }
}
