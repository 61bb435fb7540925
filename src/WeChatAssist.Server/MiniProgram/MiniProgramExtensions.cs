using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>The mini-program API: sessions from <c>wx.login</c> codes, identity binding, <c>/me</c>.</summary>
internal static class MiniProgramExtensions
{
    public static IHostApplicationBuilder AddMiniProgram(this IHostApplicationBuilder builder)
    {
        builder.AddResidents();
        builder.Services.AddOptions<MiniProgramOptions>()
            .Bind(builder.Configuration.GetSection(MiniProgramOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MiniProgramOptions>, PaymentChannelsValidator>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<MiniProgramSessions>();
        builder.Services.AddSingleton<BindingStore>();
        builder.Services.AddSingleton<PaymentIntentStore>();

        // The chatbot's personal answers come from the residents followers bound here (replaces Chat's "nobody bound"),
        // found on the official account through the follower's unionid; without one it links the binding page.
        builder.Services.AddSingleton<FollowerIdentities>();
        builder.Services.AddSingleton<IResidentDirectory, BoundResidentDirectory>();
        builder.Services.AddSingleton<IBindingInvitation, MiniProgramBindingInvitation>();

        // Followers' unionids are fetched before the chatbot answers their message: the chatbot calls its observers
        // first, in registration order (this one before the reminders' consent observer, as Program.cs composes them).
        builder.Services.AddSingleton<IChatMessageObserver, FollowerIdentityObserver>();

        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, MiniProgramAuthentication>(MiniProgramAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(MiniProgramAuthentication.PolicyName, p => p.AddAuthenticationSchemes(MiniProgramAuthentication.SchemeName).RequireAuthenticatedUser());
        builder.Services.AddRecurringJob<MiniProgramSweepJob>("mini-program-sweep", "7/15 * * * *");
        builder.Services.AddRecurringJob<FollowerBackfillJob>("followers-unionid-backfill", "40 3 * * *");
        return builder;
    }
}
