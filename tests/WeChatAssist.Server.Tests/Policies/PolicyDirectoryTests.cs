using Microsoft.Extensions.Options;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Policies;

public sealed class PolicyDirectoryTests
{
    [Fact]
    public async Task A_broken_policy_file_stops_start_up_naming_the_key_the_file_and_the_line()
    {
        using var file = new TempSqliteFile();
        var folder = Path.Combine(file.Directory, "policies");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "broken-2025.yaml"), "formatVersion: 1\nid: broken-2025\nname: [unclosed\n");
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, extra: new Dictionary<string, string?> { ["Policies:Directory"] = folder });

        var failure = Record.Exception(() => server.CreateClient());

        var options = Assert.IsType<OptionsValidationException>(failure);
        var message = Assert.Single(options.Failures);
        Assert.StartsWith("Policies:Directory: ", message, StringComparison.Ordinal);
        Assert.Contains("broken-2025.yaml line ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_policy_folder_stops_start_up_naming_the_key()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, extra: new Dictionary<string, string?> { ["Policies:Directory"] = Path.Combine(file.Directory, "absent") });

        var failure = Record.Exception(() => server.CreateClient());

        var options = Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(options.Failures, f => f.StartsWith("Policies:Directory:", StringComparison.Ordinal));
    }
}
