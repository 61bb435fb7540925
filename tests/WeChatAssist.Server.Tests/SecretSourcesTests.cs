using Microsoft.Extensions.Configuration;
using WeChatAssist.Server.Hosting;

namespace WeChatAssist.Server.Tests;

public sealed class SecretSourcesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wca-secrets-" + Guid.NewGuid().ToString("N"));

    public SecretSourcesTests() => Directory.CreateDirectory(_directory);

    [Theory]
    [InlineData("""{ "WeChat": { "Accounts": { "county": { "AppSecret": "0123456789abcdef" } } } }""", "WeChat:Accounts:county:AppSecret")]
    [InlineData("""{ "WeChat": { "Accounts": { "county": { "EncodingAESKey": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG" } } } }""", "WeChat:Accounts:county:EncodingAESKey")]
    [InlineData("""{ "WeChat": { "Accounts": { "county": { "Token": "t0ken" } } } }""", "WeChat:Accounts:county:Token")]
    [InlineData("""{ "ConnectionStrings": { "Default": "Host=db;Username=app;Password=hunter2" } }""", "ConnectionStrings:Default")]
    [InlineData("""{ "SignalR": { "Redis": "redis.internal:6379,password=hunter2" } }""", "SignalR:Redis")]
    public void A_secret_in_a_settings_file_is_found_by_its_key(string json, string key)
    {
        var findings = SecretSources.FindSecretsInSettingsFiles(Build(json)).ToList();

        var finding = Assert.Single(findings);
        Assert.StartsWith(key + " (", finding, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "WeChat": { "Accounts": { "county": { "AppId": "wx0000000000000000", "AppSecret": "<from environment: WeChat__Accounts__county__AppSecret>" } } } }""")]
    [InlineData("""{ "ConnectionStrings": { "Default": "Data Source=data/wechatassist.db" } }""")]
    [InlineData("""{ "Database": { "Provider": "Sqlite" }, "WeChat": { "Accounts": { "county": { "Token": "" } } } }""")]
    public void Placeholders_and_non_secrets_are_accepted(string json) =>
        Assert.Empty(SecretSources.FindSecretsInSettingsFiles(Build(json)));

    [Fact]
    public void Secrets_from_environment_variables_are_accepted()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WeChat:Accounts:county:AppSecret"] = "from-env" })
            .Build();

        Assert.Empty(SecretSources.FindSecretsInSettingsFiles(configuration));
    }

    [Fact]
    public void The_repository_settings_files_hold_no_secrets()
    {
        var server = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(server, optional: false).Build();

        Assert.Empty(SecretSources.FindSecretsInSettingsFiles(configuration));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private IConfigurationRoot Build(string json)
    {
        var path = Path.Combine(_directory, $"appsettings.{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return new ConfigurationBuilder().AddJsonFile(path).Build();
    }
}
