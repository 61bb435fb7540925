using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WeChatAssist.Server.Data;

/// <summary>Healthy when the database answers and carries the schema version this build expects.</summary>
internal sealed class DatabaseHealthCheck(DatabaseTarget target, Schema.SchemaCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["provider"] = target.Provider.ToString(),
            ["expectedSchemaVersion"] = catalog.LatestVersion,
        };
        try
        {
            var version = await target.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version", null, cancellationToken) ?? 0;
            data["schemaVersion"] = version;
            return version >= catalog.LatestVersion
                ? HealthCheckResult.Healthy($"{target.Description} answers at schema version {version}.", data)
                : HealthCheckResult.Unhealthy($"{target.Description} is at schema version {version}; this build needs {catalog.LatestVersion}.", data: data);
        }
        catch (System.Data.Common.DbException ex)
        {
            return HealthCheckResult.Unhealthy($"{target.Description} does not answer: {ex.Message}", data: data);
        }
    }
}
