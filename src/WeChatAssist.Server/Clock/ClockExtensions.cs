using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Clock;

/// <summary>Registers the <see cref="BusinessClock"/>.</summary>
internal static class ClockExtensions
{
    public static IHostApplicationBuilder AddBusinessClock(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClockOptions>()
            .Bind(builder.Configuration.GetSection(ClockOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClockOptions>, ClockOptionsValidator>();

        // The real clock, for signature timestamps, token expiry and anything else that must not be pinned.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClockOptions>>().Value;
            DateTimeOffset? pinned = string.IsNullOrWhiteSpace(options.Now) ? null
                : ClockOptionsValidator.TryParseInstant(options.Now, out var instant) ? instant
                : throw new OptionsValidationException(ClockOptions.SectionName, typeof(ClockOptions), [$"Clock:Now: '{options.Now}' is not an ISO 8601 date and time with an offset."]);
            return new BusinessClock(sp.GetRequiredService<TimeProvider>(), pinned, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone));
        });
        return builder;
    }

    /// <summary>Development only: the demo date, chosen through <c>/api/v1/dev/business-date</c> and kept across
    /// restarts. Call after <c>AddDatabase</c> so the stored choice is read after the schema is applied.</summary>
    public static IHostApplicationBuilder AddBusinessDateChoice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(_ => CampaignKeyDays.Load());
        builder.Services.AddSingleton<BusinessDateStore>();
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService<BusinessDateRestorer>();
        }

        return builder;
    }
}
