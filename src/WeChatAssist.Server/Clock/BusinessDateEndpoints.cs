using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.WeChat.Configuration;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Clock;

/// <summary><c>/api/v1/dev/business-date</c> (Development only; not mapped elsewhere, so 404): the business date and
/// each loaded campaign's key days; PUT moves the business clock of the whole server to a demo date and keeps the
/// choice; DELETE returns to the real date.</summary>
internal static partial class BusinessDateEndpoints
{
    public const string Path = "/api/v1/dev/business-date";

    public static IEndpointRouteBuilder MapBusinessDate(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return endpoints;
        }

        var group = endpoints.MapGroup(Path).WithTags("Development").ExcludeFromDescription();
        group.MapGet("", Get).WithName("GetBusinessDate");
        group.MapPut("", PutAsync).WithName("PutBusinessDate");
        group.MapDelete("", DeleteAsync).WithName("DeleteBusinessDate");
        return endpoints;
    }

    internal static Ok<BusinessDateView> Get(BusinessClock clock, TimeProvider realClock, PolicyCatalog catalog, CampaignKeyDays keyDays, IOptionsMonitor<WeChatOptions> weChat) =>
        TypedResults.Ok(View(clock, realClock, catalog, keyDays, weChat.CurrentValue));

    internal static async Task<Results<Ok<BusinessDateView>, ProblemHttpResult>> PutAsync(
        HttpRequest request, BusinessClock clock, TimeProvider realClock, BusinessDateStore store, PolicyCatalog catalog, CampaignKeyDays keyDays,
        IOptionsMonitor<WeChatOptions> weChat, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        string? text;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            text = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("date", out var date) && date.ValueKind == JsonValueKind.String
                ? date.GetString() : null;
        }
        catch (JsonException)
        {
            text = null;
        }

        if (text is null)
        {
            return BadDate("The body must be JSON of the form {\"date\":\"YYYY-MM-DD\"}.");
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var chosen))
        {
            return BadDate($"date: '{text}' is not a calendar date in the form YYYY-MM-DD, e.g. 2023-12-24.");
        }

        await store.SaveAsync(chosen, cancellationToken);
        clock.MoveTo(chosen);
        LogMoved(loggers.CreateLogger(typeof(BusinessDateEndpoints).FullName!), chosen);
        return TypedResults.Ok(View(clock, realClock, catalog, keyDays, weChat.CurrentValue));
    }

    internal static async Task<Ok<BusinessDateView>> DeleteAsync(
        BusinessClock clock, TimeProvider realClock, BusinessDateStore store, PolicyCatalog catalog, CampaignKeyDays keyDays, IOptionsMonitor<WeChatOptions> weChat, CancellationToken cancellationToken)
    {
        await store.SaveAsync(null, cancellationToken);
        clock.Reset();
        return TypedResults.Ok(View(clock, realClock, catalog, keyDays, weChat.CurrentValue));
    }

    private static ProblemHttpResult BadDate(string detail) =>
        TypedResults.Problem(title: "Bad business date", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static BusinessDateView View(BusinessClock clock, TimeProvider realClock, PolicyCatalog catalog, CampaignKeyDays keyDays, WeChatOptions weChat)
    {
        var today = clock.Today();
        var realToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(realClock.GetUtcNow(), clock.LocalTimeZone).DateTime);
        var campaigns = catalog.All
            .OrderBy(p => p.CollectionWindow.From)
            .Select(p => new CampaignView(
                p.Id,
                p.Name,
                weChat.Accounts.Where(a => string.Equals(a.Value.PolicyId, p.Id, StringComparison.Ordinal)).Select(a => a.Key).FirstOrDefault(),
                p.BenefitYear,
                p.CollectionWindow.From,
                p.CollectionWindow.To,
                p.LateRegimes.Count > 0 ? p.LateRegimes[^1].Period.To : p.CollectionWindow.To,
                keyDays.For(p).Select(d => new KeyDayView(d.Date, d.Kind, d.Label)).ToArray()))
            .ToArray();
        return new BusinessDateView(today, realToday, clock.IsPinned, campaigns.Any(c => today <= c.LastPayableDay), campaigns);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Business date moved to {Date:yyyy-MM-dd} (demo date, Development).")]
    private static partial void LogMoved(ILogger logger, DateOnly date);
}

/// <summary>The business date and the loaded campaigns.</summary>
/// <param name="Date">The business date now.</param>
/// <param name="Today">The real date in the business time zone.</param>
/// <param name="Moved">Whether a demo date or <c>Clock:Now</c> moved the clock.</param>
/// <param name="AnyCampaignOpen">Whether some loaded notice still takes payments on <paramref name="Date"/> (window or late regime).</param>
/// <param name="Campaigns">Each loaded notice with its key days.</param>
internal sealed record BusinessDateView(DateOnly Date, DateOnly Today, bool Moved, bool AnyCampaignOpen, IReadOnlyList<CampaignView> Campaigns);

/// <summary>One loaded notice.</summary>
internal sealed record CampaignView(string PolicyId, string County, string? Account, int BenefitYear, DateOnly WindowFrom, DateOnly WindowTo, DateOnly LastPayableDay, IReadOnlyList<KeyDayView> KeyDays);

/// <summary>One key day.</summary>
internal sealed record KeyDayView(DateOnly Date, string Kind, string Label);
