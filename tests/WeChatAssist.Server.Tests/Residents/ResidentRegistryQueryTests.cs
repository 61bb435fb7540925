using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>The registry's own queries that other features call instead of reading <c>residents</c> themselves.</summary>
public sealed class ResidentRegistryQueryTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_demo_form_is_offered_the_county_s_oldest_residents_who_are_neither_bound_nor_paid(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString);
        var unbound = TestIds.Next(birth: "19650412");
        var bound = TestIds.Next(birth: "19700101");
        var firstUnbound = await server.SeedAsync("赵六", unbound, categories: ["dibao"]);
        await server.SeedAsync("钱七", bound);
        await server.SeedAsync("孙八", TestIds.Next(birth: "19750505"), paidYear: 2024);
        await server.SeedAsync("李九", TestIds.Next(birth: "19800808"), policyId: "other-county");
        var secondUnbound = await server.SeedAsync("周十", TestIds.Next(birth: "19851010"));
        Assert.Equal(System.Net.HttpStatusCode.Created, (await server.BindAsync(await server.SessionAsync(TestIds.OpenId()), "钱七", bound)).Status);

        var offered = await server.Services.GetRequiredService<ResidentRegistry>().ListUnboundUnpaidAsync("pengshui-2024", 3, CancellationToken.None);

        Assert.Equal([firstUnbound, secondUnbound], offered.Select(r => r.Id));
        Assert.Equal(("赵六", unbound), (offered[0].Name, offered[0].IdNumber));
        Assert.Equal(["dibao"], offered[0].CategoryCodes);
    }
}
