using System.Globalization;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Data.Schema;
using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.Demo;

/// <summary><c>dotnet run --project src/WeChatAssist.Server -- demo --policy pengshui-2024 --residents 100000
/// [--seed 1] [--bound 0.35] [--paid 0.45]</c>: fills the configured database (the same one the server uses, schema
/// applied first) with a made-up county.</summary>
internal static class DemoCommand
{
    /// <summary>The verb.</summary>
    public const string Verb = "demo";

    /// <summary>Whether the command line asks for a demo county instead of the server.</summary>
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>Generates the county; 0 on success, 2 for a usage error, 1 when the database refuses.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var policyId = Option(args, "--policy");
        if (policyId is null
            || !int.TryParse(Option(args, "--residents") ?? "", NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || !TryNumber(args, "--seed", 1, out var seed)
            || !TryShare(args, "--bound", 0.35, out var bound)
            || !TryShare(args, "--paid", 0.45, out var paid))
        {
            await output.WriteLineAsync($"usage: {Verb} --policy <policy id> --residents <count> [--seed <n>] [--bound <0-1>] [--paid <0-1>]");
            return 2;
        }

        // The server's own configuration (environment, appsettings, ConnectionStrings:Default, personal-data keys).
        var builder = WebApplication.CreateBuilder(args[1..]);
        builder.AddBusinessClock();
        builder.AddDatabase();
        builder.AddBusinessDateChoice();
        builder.AddPolicies();
        builder.AddDemoCounty();
        await using var app = builder.Build();
        try
        {
            // The server validates its options when it starts; this command never starts a host, so it asks itself.
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await output.WriteLineAsync($"{Verb}: {e.Message}");
            return 2;
        }

        var database = app.Services.GetRequiredService<DatabaseTarget>();
        await output.WriteLineAsync($"{Verb}: {database.Description}");
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);

        var appId = builder.Configuration.GetSection("WeChat:Accounts").GetChildren()
            .FirstOrDefault(a => string.Equals(a["PolicyId"], policyId, StringComparison.Ordinal))?["AppId"];
        var clock = app.Services.GetRequiredService<BusinessClock>();
        // The demo date chosen on the simulator page (Development) holds here too, unless Clock:Now is set.
        if (string.IsNullOrWhiteSpace(builder.Configuration["Clock:Now"])
            && await app.Services.GetRequiredService<BusinessDateStore>().FindAsync(cancellationToken) is { } chosen)
        {
            clock.MoveTo(chosen);
        }

        var today = clock.Today();
        try
        {
            var summary = await app.Services.GetRequiredService<DemoCountyGenerator>()
                .GenerateAsync(new DemoCountyRequest(policyId, count, appId, seed, bound, paid), today, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{Verb}: {summary.Residents:N0} residents of {policyId} in {summary.Townships} townships / {summary.Villages} villages, {summary.Bound:N0} bound to {appId ?? "no account"}, {summary.Paid:N0} paid by {today:yyyy-MM-dd}, in {summary.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            await output.WriteLineAsync($"{Verb}: {e.Message}");
            return e is ArgumentException ? 2 : 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static bool TryNumber(string[] args, string name, int fallback, out int value)
    {
        var text = Option(args, name);
        value = fallback;
        return text is null || int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryShare(string[] args, string name, double fallback, out double value)
    {
        var text = Option(args, name);
        value = fallback;
        return text is null || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 1);
    }
}
