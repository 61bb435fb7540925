using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Demo;

/// <summary>Registers the demo county generator (used by the <c>demo</c> command, tests and benchmarks).</summary>
internal static class DemoExtensions
{
    public static IHostApplicationBuilder AddDemoCounty(this IHostApplicationBuilder builder)
    {
        builder.AddResidents();
        builder.Services.AddSingleton(_ => DemoCountyData.Load());
        builder.Services.AddSingleton<DemoCountyWriter>();
        builder.Services.AddSingleton<DemoCountyGenerator>();
        return builder;
    }

    /// <summary>Development only: the demo county generated in the background on an empty database (<c>Demo:*</c>).</summary>
    public static IHostApplicationBuilder AddDemoCountyOnFirstStart(this IHostApplicationBuilder builder)
    {
        builder.AddDemoCounty();
        builder.Services.AddOptions<DemoOptions>()
            .Bind(builder.Configuration.GetSection(DemoOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService<DemoAutoStart>();
        }

        return builder;
    }
}
