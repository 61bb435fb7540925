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
}
