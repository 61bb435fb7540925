using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>The real server in memory, configured the way an operator would: through configuration keys.</summary>
public sealed class ServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;
    private readonly Action<IConfigurationBuilder>? _configuration;

    public ServerFactory(IDictionary<string, string?> settings, string environment = "Development", Action<IServiceCollection>? services = null, Action<IConfigurationBuilder>? configuration = null)
    {
        // Tests make their own data, accounts and simulator calls: no background demo county, no random Development
        // administrator, no menu push, unless a test asks for them.
        _settings = new Dictionary<string, string?> { ["Demo:AutoResidents"] = "0", ["Staff:DevelopmentSignIn"] = "false", ["WeChat:PublishMenus"] = "false" };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }

        _environment = environment;
        _services = services;
        _configuration = configuration;
    }

    public static ServerFactory ForSqlite(string connectionString, string environment = "Development", Action<IServiceCollection>? services = null, IDictionary<string, string?>? extra = null, Action<IConfigurationBuilder>? configuration = null) =>
        new(With(extra, ("Database:Provider", "Sqlite"), ("ConnectionStrings:Default", connectionString)), environment, services, configuration);

    public static ServerFactory ForPostgres(string connectionString, Action<IServiceCollection>? services = null, IDictionary<string, string?>? extra = null) =>
        new(With(extra, ("Database:Provider", "Postgres"), ("ConnectionStrings:Default", connectionString)), services: services);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);

        // UseSetting reaches the host configuration before Program's builder code runs, which matters because the
        // scheduler picks its job store while registering.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (_configuration is not null)
        {
            builder.ConfigureAppConfiguration((_, config) => _configuration(config));
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    private static Dictionary<string, string?> With(IDictionary<string, string?>? extra, params (string Key, string? Value)[] settings)
    {
        var all = settings.ToDictionary(s => s.Key, s => s.Value);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }
}
