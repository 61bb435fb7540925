using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Staff;

/// <summary>Creates the bureau administrator from <c>Staff:BootstrapAdmin</c> when the database has no staff user,
/// so a fresh installation can sign in. In Development without that setting (and with
/// <c>Staff:DevelopmentSignIn</c> left on), it creates <c>admin</c> with a random password and prints the password
/// once, so a newcomer can open the console. Runs after the schema migrator (hosted services start in order).</summary>
internal sealed partial class StaffBootstrap(StaffStore store, IOptions<StaffOptions> options, IHostEnvironment environment, ILogger<StaffBootstrap> logger) : IHostedService
{
    /// <summary>The Development administrator's user name.</summary>
    public const string DevelopmentUserName = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value.BootstrapAdmin;
        if (!string.IsNullOrWhiteSpace(admin.UserName) && !string.IsNullOrEmpty(admin.Password))
        {
            if (await store.CountAsync(cancellationToken) == 0)
            {
                await store.CreateAsync(admin.UserName, admin.Password, StaffRole.Bureau, null, null, null, cancellationToken);
                LogCreated(logger, admin.UserName);
            }

            return;
        }

        if (environment.IsDevelopment() && options.Value.DevelopmentSignIn && await store.CountAsync(cancellationToken) == 0)
        {
            // Letters and digits without look-alikes (0/O, 1/l/I), so it can be read off a terminal and typed.
            var password = RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
            if (await store.CreateAsync(DevelopmentUserName, password, StaffRole.Bureau, null, null, null, cancellationToken) is not null)
            {
                LogDevelopmentSignIn(logger, DevelopmentUserName, password);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the bootstrap bureau administrator '{UserName}'; change its password and remove Staff:BootstrapAdmin.")]
    private static partial void LogCreated(ILogger logger, string userName);

    // The exact shape the README's first five minutes point to; printed only when the account is created.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-in (Development): user '{UserName}', password '{Password}'")]
    private static partial void LogDevelopmentSignIn(ILogger logger, string userName, string password);
}
