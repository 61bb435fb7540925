using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Payments;

namespace WeChatAssist.Server.Links;

/// <summary>Cadre share links: the store, WeChat issuing, templates, payment attribution and the endpoints.</summary>
internal static class LinksExtensions
{
    public static IHostApplicationBuilder AddLinks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LinksOptions>()
            .Bind(builder.Configuration.GetSection(LinksOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ShareLinkStore>();
        builder.Services.AddSingleton<LinkWeChat>();
        builder.Services.AddSingleton<LinkPages>();
        builder.Services.AddSingleton(_ => LinkTemplates.Load(Path.Combine(AppContext.BaseDirectory, LinkTemplates.Folder)));
        builder.Services.AddProblemTexts(ProblemTextKeys.Links);
        builder.Services.AddSingleton<IPaymentsRecordedParticipant, LinkAttribution>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLinks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapLinkEndpoints();
        return endpoints;
    }
}
