using Microsoft.Extensions.DependencyInjection.Extensions;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Scheduling;
using WeChatAssist.Server.WeChat;

namespace WeChatAssist.Server.Corrections;

/// <summary>Registration corrections: residents submit, staff review, the registry keeps history, the resident is told.</summary>
internal static class CorrectionsExtensions
{
    public static IHostApplicationBuilder AddCorrections(this IHostApplicationBuilder builder)
    {
        builder.AddResidents();
        builder.Services.AddOptions<CorrectionsOptions>()
            .Bind(builder.Configuration.GetSection(CorrectionsOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.ResultMessage is { ItemKey.Length: > 0, ResultKey.Length: > 0, RemarkKey.Length: > 0, DateKey.Length: > 0 },
                $"{CorrectionsOptions.SectionName}:ResultMessage: the four keyword names must not be empty.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CorrectionStore>();
        builder.Services.AddSingleton<CorrectionPhotos>();
        builder.Services.AddSingleton<CorrectionNotifier>();
        builder.Services.AddSingleton<CorrectionChannelFailures>();
        builder.Services.TryAddSingleton<MessageChannels>();
        builder.Services.AddSingleton<CorrectionSubmission>();
        builder.Services.AddSingleton<CorrectionReview>();
        builder.Services.AddSingleton<CorrectionPhotoRetention>();
        builder.Services.AddProblemTexts(ProblemTextKeys.Corrections);
        builder.Services.AddScoped<CorrectionOutcomeMessageJob>();
        builder.Services.AddRecurringJob<CorrectionNotificationJob>("corrections-outcome-messages", "*/10 * * * *");
        builder.Services.AddRecurringJob<CorrectionPhotoRetentionJob>("corrections-photo-retention", "17 * * * *");
        return builder;
    }

    public static IEndpointRouteBuilder MapCorrections(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMiniProgramCorrections();
        endpoints.MapAdminCorrections();
        return endpoints;
    }
}
