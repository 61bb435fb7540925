using System.Diagnostics;
using System.Text.Json;

namespace WeChatAssist.Server.Tests;

/// <summary>The container image's configuration as the SDK computes it for <c>dotnet publish -t:PublishContainer</c>.
/// (This workplace cannot pull the base image from mcr.microsoft.com, so the archive itself is not built here; the
/// configuration below is exactly what the SDK writes into its manifest.)</summary>
public sealed class ContainerImageTests
{
    [Fact]
    public async Task The_image_runs_the_server_as_the_non_root_app_user_on_port_8080_with_Production_settings_from_the_environment()
    {
        var container = await ComputeAsync();
        var properties = container.GetProperty("Properties");
        var items = container.GetProperty("Items");

        Assert.Equal("app", properties.GetProperty("ContainerUser").GetString());
        Assert.Equal("/app/", properties.GetProperty("ContainerWorkingDirectory").GetString());
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", properties.GetProperty("ContainerBaseImage").GetString(), StringComparison.Ordinal);
        Assert.Equal("wechatassist", properties.GetProperty("ContainerRepository").GetString());
        Assert.Equal(["dotnet", "/app/WeChatAssist.Server.dll"], Identities(items, "ContainerAppCommand"));
        Assert.Contains("8080", Identities(items, "ContainerPort"));
        Assert.Contains("9464", Identities(items, "ContainerPort"));
        var environment = items.GetProperty("ContainerEnvironmentVariable").EnumerateArray().ToDictionary(e => e.GetProperty("Identity").GetString()!, e => e.GetProperty("Value").GetString());
        Assert.Equal("8080", environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        // No secret is baked into the image: those come from the environment at run time.
        Assert.DoesNotContain(environment.Keys, key => key.Contains("Password", StringComparison.OrdinalIgnoreCase) || key.Contains("Key", StringComparison.Ordinal) || key.Contains("Secret", StringComparison.Ordinal) || key.StartsWith("ConnectionStrings", StringComparison.Ordinal));
    }

    private static string[] Identities(JsonElement items, string name) =>
        [.. items.GetProperty(name).EnumerateArray().Select(e => e.GetProperty("Identity").GetString()!)];

    private static async Task<JsonElement> ComputeAsync()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "WeChatAssist.Server", "WeChatAssist.Server.csproj");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "msbuild", project, "-nologo", "-t:ComputeContainerConfig", "-p:Configuration=Release",
            "-getProperty:ContainerUser", "-getProperty:ContainerWorkingDirectory", "-getProperty:ContainerBaseImage", "-getProperty:ContainerRepository",
            "-getItem:ContainerAppCommand", "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariable",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(deadline.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, output + await stderr);
        return JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement.Clone();
    }

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
