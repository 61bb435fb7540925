using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.StaffSignIn;

/// <summary>At the first Development start without <c>Staff:BootstrapAdmin</c>, <c>admin</c> is created with a random
/// password printed once, so a newcomer can open the console.</summary>
public sealed partial class DevelopmentSignInTests
{
    private static readonly Dictionary<string, string?> SignInOn = new() { ["Staff:DevelopmentSignIn"] = "true" };

    [Fact]
    public async Task The_first_Development_start_prints_a_working_admin_password_once()
    {
        using var file = new TempSqliteFile();
        var firstLog = new CapturingLoggerProvider();
        string password;
        await using (var first = ServerFactory.ForSqlite(file.ConnectionString, services: s => s.AddSingleton<ILoggerProvider>(firstLog), extra: SignInOn))
        {
            var client = first.CreateClient();
            var line = Assert.Single(firstLog.Lines, l => l.Contains("Console sign-in", StringComparison.Ordinal));
            var match = SignInLine().Match(line);
            Assert.True(match.Success, line);
            password = match.Groups[1].Value;
            Assert.True(password.Length >= 16, password);

            using var login = await client.PostAsJsonAsync("/api/v1/staff/login", new { userName = "admin", password });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var secondLog = new CapturingLoggerProvider();
        await using var second = ServerFactory.ForSqlite(file.ConnectionString, services: s => s.AddSingleton<ILoggerProvider>(secondLog), extra: SignInOn);
        _ = second.CreateClient();
        Assert.DoesNotContain(secondLog.Lines, l => l.Contains("Console sign-in", StringComparison.Ordinal));
        Assert.Equal(1, await second.Services.GetRequiredService<StaffStore>().CountAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Development", "configured-admin")]
    public async Task No_random_admin_outside_Development_or_when_a_bootstrap_admin_is_configured(string environment, string? bootstrapUser)
    {
        using var file = new TempSqliteFile();
        var log = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?>(SignInOn);
        if (bootstrapUser is not null)
        {
            settings["Staff:BootstrapAdmin:UserName"] = bootstrapUser;
            settings["Staff:BootstrapAdmin:Password"] = "configured-password-1";
        }

        await using var server = ServerFactory.ForSqlite(file.ConnectionString, environment, s => s.AddSingleton<ILoggerProvider>(log), settings);
        _ = server.CreateClient();

        Assert.DoesNotContain(log.Lines, l => l.Contains("Console sign-in", StringComparison.Ordinal));
        Assert.Null(await server.Services.GetRequiredService<StaffStore>().FindAsync("admin", CancellationToken.None));
    }

    // The exact line the README's first five minutes point to.
    [GeneratedRegex(@"Console sign-in \(Development\): user 'admin', password '([A-Za-z0-9]+)' ")]
    private static partial Regex SignInLine();
}
