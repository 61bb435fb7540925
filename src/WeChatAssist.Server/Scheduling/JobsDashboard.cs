using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Storage;

namespace WeChatAssist.Server.Scheduling;

/// <summary>Hangfire's dashboard inside the staff console at <see cref="Path"/>: bureau staff see and act (trigger,
/// retry, delete); township staff only see; village cadres get 403 and anyone not signed in 401. The storage is
/// shown by description, never by its connection string.</summary>
internal static class JobsDashboard
{
    public const string Path = "/console/jobs";

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        // Resolved on first request: resolving the gate here would validate the database options before the host's
        // start-up failure reporting could turn an invalid value into one line.
        var services = app.Services;
        app.UseHangfireDashboard(
            Path,
            new DashboardOptions
            {
                AppPath = "/console",
                DashboardTitle = "WeChatAssist · 后台任务 (Hangfire)",
                DisplayStorageConnectionString = false,
                Authorization = [new StaffAuthorization()],
                IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole("bureau"),
                TimeZoneResolver = new ChinaTimeZoneResolver(),
            },
            new OpenedStorage(new Lazy<JobStorageGate>(services.GetRequiredService<JobStorageGate>)));
        return app;
    }

    /// <summary>Bureau and township staff, signed in with the console cookie.</summary>
    private sealed class StaffAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.Identity?.IsAuthenticated == true && (user.IsInRole("bureau") || user.IsInRole("township"));
        }
    }

    private sealed class ChinaTimeZoneResolver : ITimeZoneResolver
    {
        public TimeZoneInfo GetTimeZoneById(string timeZoneId) => TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
    }

    /// <summary>The dashboard is mapped while the app is built; the storage opens when the host starts. This forwards
    /// to the storage once it is open.</summary>
    private sealed class OpenedStorage(Lazy<JobStorageGate> gate) : JobStorage
    {
        public override IMonitoringApi GetMonitoringApi() => gate.Value.Storage.GetMonitoringApi();

        public override IStorageConnection GetConnection() => gate.Value.Storage.GetConnection();

        public override bool HasFeature(string featureId) => gate.Value.Storage.HasFeature(featureId);

        public override bool LinearizableReads => gate.Value.Storage.LinearizableReads;

        public override string ToString() => gate.Value.Description;
    }
}
