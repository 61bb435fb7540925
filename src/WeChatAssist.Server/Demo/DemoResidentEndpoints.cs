using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
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

    internal static async Task<Results<Ok<DemoResidentView[]>, NotFound>> ListAsync([AsParameters] DemoResidentsRequest request, CancellationToken cancellationToken)
    {
        if (request.Account is null || !request.WeChat.CurrentValue.Accounts.TryGetValue(request.Account, out var configured))
        {
            return TypedResults.NotFound();
        }

        var residents = await request.Registry.ListUnboundUnpaidAsync(configured.PolicyId, 3, cancellationToken);
        return TypedResults.Ok(residents.Select(r => new DemoResidentView(r.Name, r.IdNumber, r.Township, r.Village, r.CategoryCodes)).ToArray());
    }
}

/// <summary>What <see cref="DemoResidentEndpoints.ListAsync"/> needs: the account from the query and its services.</summary>
internal sealed record DemoResidentsRequest(string? Account, IOptionsMonitor<WeChatOptions> WeChat, ResidentRegistry Registry);

/// <summary>A made-up resident for the simulator's binding form.</summary>
internal sealed record DemoResidentView(string Name, string IdNumber, string Township, string Village, IReadOnlyList<string> CategoryCodes);
