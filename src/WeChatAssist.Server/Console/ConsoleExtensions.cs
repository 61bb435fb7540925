using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>The staff console: Razor Pages under <c>/console</c> (from <c>Console/Pages</c>), its JSON API, Excel
/// export, and live progress through the SignalR hub <c>/hubs/progress</c>.</summary>
internal static class ConsoleExtensions
{
    /// <summary>Where unauthenticated console pages send the browser.</summary>
    public const string LoginPath = "/console/login";

    public static IHostApplicationBuilder AddConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Console/Pages";
            options.Conventions.AuthorizeFolder("/", StaffClaims.VillagePolicy);
            options.Conventions.AllowAnonymousToPage("/Login");
        });
        // Chinese text stays readable in the page source instead of becoming &#x...; entities.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddOptions<LiveUpdatesOptions>()
            .Bind(builder.Configuration.GetSection(LiveUpdatesOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var signalR = builder.Services.AddSignalR();
        var live = builder.Configuration.GetSection(LiveUpdatesOptions.SectionName).Get<LiveUpdatesOptions>();
        if (live?.UsesBackplane == true)
        {
            // Parsed lazily by the backplane; a malformed string is reported at start by the options validation. Nodes
            // of one deployment share the prefix; a `channelPrefix=` in the string keeps deployments on one Redis apart.
            signalR.AddStackExchangeRedis(live.Redis!, redis =>
            {
                if (redis.Configuration.ChannelPrefix.IsNullOrEmpty)
                {
                    redis.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("wechatassist");
                }
            });
        }

        builder.Services.AddSingleton(_ => ConsoleTexts.LoadFile(Path.Combine(AppContext.BaseDirectory, ConsoleTexts.FileName)));
        builder.Services.AddSingleton<ProgressQueries>();
        builder.Services.AddSingleton<ProgressSnapshots>();
        builder.Services.AddSingleton<UnpaidResidents>();
        builder.Services.AddSingleton<ProgressFeed>();
        builder.Services.AddSingleton<IPaymentsRecordedParticipant, ProgressSignal>();
        builder.Services.AddHostedService<PostgresProgressListener>();
        builder.Services.AddHostedService<ProgressPublisher>();
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.UseStaticFiles();
        try
        {
            app.MapRazorPages();
        }
        catch (Exception ex) when (Hosting.StartupFailureReporting.Describe(ex) is not null)
        {
            // Mapping Razor Pages resolves data protection, whose key ring lives in the database, and so validates the
            // database options before the host starts. The host's own start-up validation fails the same way a moment
            // later inside the start-up failure reporter, which turns it into one line and an exit code.
        }

        app.MapHub<ProgressHub>("/hubs/progress");
        app.MapConsoleEndpoints();
        return app;
    }
}
