using Microsoft.Extensions.Configuration;
using WeChatAssist.Server.Corrections;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>Keeps appsettings.sample.json in step with the personal-data, staff and mini-program options.</summary>
public sealed class ResidentSettingsTests
{
    private readonly IConfigurationRoot _sample = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "appsettings.sample.json")).Build();

    public static TheoryData<string> OptionKeys()
    {
        var keys = new TheoryData<string>
        {
            $"{PersonalDataOptions.SectionName}:{nameof(PersonalDataOptions.ActiveKeyId)}",
            $"{PersonalDataOptions.SectionName}:{nameof(PersonalDataOptions.LookupKey)}",
            $"{StaffOptions.SectionName}:BootstrapAdmin:{nameof(BootstrapAdminOptions.UserName)}",
            $"{StaffOptions.SectionName}:BootstrapAdmin:{nameof(BootstrapAdminOptions.Password)}",
        };
        foreach (var property in typeof(StaffOptions).GetProperties().Where(p => p.Name != nameof(StaffOptions.BootstrapAdmin)))
        {
            keys.Add($"{StaffOptions.SectionName}:{property.Name}");
        }

        foreach (var property in typeof(MiniProgramOptions).GetProperties())
        {
            keys.Add($"{MiniProgramOptions.SectionName}:{property.Name}");
        }

        foreach (var property in typeof(CorrectionsOptions).GetProperties().Where(p => p.Name != nameof(CorrectionsOptions.ResultMessage)))
        {
            keys.Add($"{CorrectionsOptions.SectionName}:{property.Name}");
        }

        keys.Add($"{CorrectionsOptions.SectionName}:{nameof(CorrectionsOptions.ResultMessage)}:{nameof(CorrectionResultMessageOptions.TemplateId)}");

        return keys;
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void Every_option_is_documented_in_the_sample(string key)
    {
        // A value, or a section with an example entry (the per-county payment channels).
        Assert.True(_sample[key] is not null || _sample.GetSection(key).GetChildren().Any(), $"{key} is missing from the sample.");
        Assert.False(string.IsNullOrWhiteSpace(_sample[key + "//"]), $"{key} needs a '{key}//' description beside it.");
    }

    [Fact]
    public void The_sample_documents_an_encryption_key_as_a_placeholder_not_a_secret()
    {
        var keys = _sample.GetSection($"{PersonalDataOptions.SectionName}:Keys").GetChildren().Where(k => !k.Key.EndsWith("//", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith("<from environment", k.Value, StringComparison.Ordinal));
        Assert.StartsWith("<from environment", _sample[$"{PersonalDataOptions.SectionName}:LookupKey"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "PersonalData": { "Keys": { "k1": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" } } }""", "PersonalData:Keys:k1")]
    [InlineData("""{ "PersonalData": { "LookupKey": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" } }""", "PersonalData:LookupKey")]
    [InlineData("""{ "Staff": { "BootstrapAdmin": { "Password": "hunter2hunter2" } } }""", "Staff:BootstrapAdmin:Password")]
    public void Personal_data_keys_and_the_admin_password_in_a_settings_file_are_refused(string json, string key)
    {
        var path = Path.Combine(Path.GetTempPath(), $"appsettings.{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var finding = Assert.Single(Hosting.SecretSources.FindSecretsInSettingsFiles(new ConfigurationBuilder().AddJsonFile(path).Build()));
            Assert.StartsWith(key + " (", finding, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_sample_holds_no_personal_data_secret() =>
        Assert.Empty(Hosting.SecretSources.FindSecretsInSettingsFiles(_sample));

    private static string RepositoryRoot()
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
