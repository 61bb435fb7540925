using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.Demo;

/// <summary><c>GET /api/v1/dev/demo-residents?account=</c> (Development only; not mapped elsewhere, so 404): a few
/// made-up residents of the account's county who are neither bound nor paid, with name and ID number, so the
/// simulator's mini-program panel can bind someone from the demo county without reading the database.</summary>
internal static class DemoResidentEndpoints
{
    public static IEndpointRouteBuilder MapDemoResidents(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            endpoints.MapGet("/api/v1/dev/demo-residents", ListAsync).WithTags("Development").ExcludeFromDescription().WithName("ListDemoResidents");
        }

        return endpoints;
    }

    internal static async Task<Results<Ok<DemoResidentView[]>, NotFound>> ListAsync(
        string? account, IOptionsMonitor<WeChatOptions> weChat, DatabaseTarget database, ResidentRegistry registry, CancellationToken cancellationToken)
    {
        if (account is null || !weChat.CurrentValue.Accounts.TryGetValue(account, out var configured))
        {
            return TypedResults.NotFound();
        }

        var ids = new List<long>();
        await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var command = connection.Command(null, """
            SELECT r.id FROM residents r
            WHERE r.policy_id = @policy AND r.paid_year IS NULL
              AND NOT EXISTS (SELECT 1 FROM resident_bindings b WHERE b.resident_id = r.id)
            ORDER BY r.id LIMIT 3
            """))
        {
            command.AddParameter("@policy", configured.PolicyId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var residents = await registry.GetAsync(ids, cancellationToken);
        return TypedResults.Ok(residents.OrderBy(r => r.Id)
            .Select(r => new DemoResidentView(r.Name, r.IdNumber, r.Township, r.Village, r.CategoryCodes)).ToArray());
    }
}

/// <summary>A made-up resident for the simulator's binding form.</summary>
internal sealed record DemoResidentView(string Name, string IdNumber, string Township, string Village, IReadOnlyList<string> CategoryCodes);
