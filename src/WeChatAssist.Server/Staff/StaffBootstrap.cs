using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Staff;

/// <summary>Creates the bureau administrator from <c>Staff:BootstrapAdmin</c> when the database has no staff user,
/// so a fresh installation can sign in. Runs after the schema migrator (hosted services start in order).</summary>
internal sealed partial class StaffBootstrap(StaffStore store, IOptions<StaffOptions> options, ILogger<StaffBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value.BootstrapAdmin;
        if (string.IsNullOrWhiteSpace(admin.UserName) || string.IsNullOrEmpty(admin.Password))
        {
            return;
        }

        if (await store.CountAsync(cancellationToken) == 0)
        {
            await store.CreateAsync(admin.UserName, admin.Password, StaffRole.Bureau, null, null, null, cancellationToken);
            LogCreated(logger, admin.UserName);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the bootstrap bureau administrator '{UserName}'; change its password and remove Staff:BootstrapAdmin.")]
    private static partial void LogCreated(ILogger logger, string userName);
}
