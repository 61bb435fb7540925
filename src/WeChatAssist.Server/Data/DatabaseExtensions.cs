using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data.Schema;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Data;

/// <summary>Registers persistence: options, the resolved database and its dialect, the stores of the shared tables and the start-up migrator.</summary>
internal static class DatabaseExtensions
{
    /// <summary>Adds the database. Call before <c>AddScheduling</c>: the migrator has to start before the job server.</summary>
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Configure(options => options.ConnectionString = configuration.GetConnectionString("Default"))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        // The migrator's timestamps and the connect backoff use the real clock, never the business clock.
        builder.Services.TryAddSingleton(TimeProvider.System);

        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton(sp => DatabaseTarget.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, contentRoot));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DatabaseTarget>().Dialect);
        builder.Services.AddSingleton(_ => SchemaCatalog.FromEmbeddedScripts());
        builder.Services.AddSingleton<DatabaseConnector>();
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<SchemaMigrationHostedService>();

        builder.Services.AddSingleton<AppSettings>();
        builder.Services.AddSingleton<MessageDedupeStore>();
        builder.Services.AddRecurringJob<MessageDedupeSweepJob>("message-dedupe-sweep", "*/5 * * * *");
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>The database options as configured, read before the container exists (the job storage follows the provider
    /// while registering). Validation still happens at start, so an invalid value is reported, not used.</summary>
    public static DatabaseOptions ReadDatabaseOptions(this IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        options.ConnectionString = configuration.GetConnectionString("Default");
        return options;
    }
}
