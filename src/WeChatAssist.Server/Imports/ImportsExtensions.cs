using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Imports;

/// <summary>Registers the importer (service, store, texts, options) and maps its admin API.</summary>
internal static class ImportsExtensions
{
    public static IHostApplicationBuilder AddImports(this IHostApplicationBuilder builder)
    {
        builder.AddResidents();
        builder.AddPayments();
        builder.Services.AddOptions<ImportOptions>()
            .Bind(builder.Configuration.GetSection(ImportOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(_ => ImportVocabulary.LoadFile(Path.Combine(AppContext.BaseDirectory, ImportVocabulary.FileName)));
        builder.Services.AddProblemTexts(ProblemTextKeys.Imports);
        builder.Services.AddSingleton<ImportStore>();
        builder.Services.AddSingleton<ImportService>();
        builder.Services.AddSingleton<CategoryHistory>();
        return builder;
    }

    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder endpoints) => endpoints.MapImportEndpoints();
}
