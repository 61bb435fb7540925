using Microsoft.Extensions.Configuration;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Hosting;

namespace WeChatAssist.Server.Tests;

/// <summary>appsettings.sample.json is the configuration reference; these keep it in step with the code.</summary>
public sealed class SampleSettingsTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();
    private readonly IConfigurationRoot _sample = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot, "appsettings.sample.json")).Build();

    public static TheoryData<string> OptionKeys()
    {
        var keys = new TheoryData<string> { DatabaseOptions.ConnectionStringKey, "Urls" };
        foreach (var property in typeof(DatabaseOptions).GetProperties().Where(p => p.CanWrite && p.Name is not nameof(DatabaseOptions.ConnectionString) and not nameof(DatabaseOptions.ConnectRetry)))
        {
            keys.Add($"{DatabaseOptions.SectionName}:{property.Name}");
        }

        foreach (var property in typeof(ConnectRetryOptions).GetProperties())
        {
            keys.Add($"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.ConnectRetry)}:{property.Name}");
        }

        foreach (var property in typeof(ClockOptions).GetProperties())
        {
            keys.Add($"{ClockOptions.SectionName}:{property.Name}");
        }

        foreach (var property in typeof(WeChatAssist.Server.Scheduling.JobsOptions).GetProperties())
        {
            keys.Add($"{WeChatAssist.Server.Scheduling.JobsOptions.SectionName}:{property.Name}");
        }

        keys.Add(WeChatAssist.Server.Scheduling.JobsOptions.ConnectionStringKey);

        return keys;
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void Every_option_the_server_reads_is_documented_in_the_sample(string key)
    {
        Assert.NotNull(_sample[key]);
        Assert.False(string.IsNullOrWhiteSpace(_sample[key + "//"]), $"{key} needs a '{key}//' description beside it.");
    }

    [Theory]
    [InlineData("WeChat:Accounts:county:AppId")]
    [InlineData("WeChat:Accounts:county:AppSecret")]
    [InlineData("WeChat:Accounts:county:Token")]
    [InlineData("WeChat:Accounts:county:EncodingAESKey")]
    [InlineData("WeChat:Accounts:county:PolicyId")]
    [InlineData("Policies:Directory")]
    public void Keys_decided_for_later_features_are_documented(string key) => Assert.NotNull(_sample[key]);

    [Fact]
    public void The_sample_holds_placeholders_not_secrets() =>
        Assert.Empty(SecretSources.FindSecretsInSettingsFiles(_sample));

    [Fact]
    public void Every_key_of_the_server_appsettings_is_in_the_sample()
    {
        var appsettings = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot, "src", "WeChatAssist.Server", "appsettings.json")).Build();

        var missing = appsettings.AsEnumerable().Where(pair => pair.Value is not null && !pair.Key.StartsWith("Logging:", StringComparison.Ordinal) && _sample[pair.Key] is null).Select(pair => pair.Key);

        Assert.Empty(missing);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WeChatAssist.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("WeChatAssist.sln not found above " + AppContext.BaseDirectory);
    }
}
