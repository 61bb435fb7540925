using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>Registers bureau broadcasts. Call after <c>AddReminders</c>: broadcasts send through its outbox.</summary>
internal static class BroadcastsExtensions
{
    public static IHostApplicationBuilder AddBroadcasts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BroadcastStore>();
        builder.Services.AddSingleton<BroadcastTags>();
        builder.Services.AddSingleton<BroadcastFollowers>();
        builder.Services.AddSingleton<BroadcastSender>();
        builder.Services.AddSingleton<BroadcastApproval>();
        builder.Services.AddScoped<BroadcastMassSendJob>();
        builder.Services.AddRecurringJob<BroadcastMassSendSweepJob>("broadcasts-mass-send-sweep", "*/15 * * * *");
        return builder;
    }
}
