using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace WeChatAssist.Server.Tests;

/// <summary>The container image: the settings the SDK computes for <c>dotnet publish -t:PublishContainer</c> with the
/// default base image, and a real OCI image archive built by the SDK (no Docker daemon) on a base image served from
/// loopback (<see cref="LocalBaseImage"/>: this workplace cannot reach mcr.microsoft.com).</summary>
public sealed class ContainerImageTests
{
    [Fact]
    public async Task Publishing_the_container_writes_an_image_archive_that_runs_the_server_as_a_non_root_user_on_port_8080()
    {
        await using var baseImage = await LocalBaseImage.StartAsync();
        var archive = Path.Combine(baseImage.Directory, "wechatassist.tar.gz");
        var publish = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "publish", Path.Combine(RepositoryRoot(), "src", "WeChatAssist.Server", "WeChatAssist.Server.csproj"), "-nologo", "-c", "Release",
            "-t:PublishContainer", $"-p:ContainerBaseImage={baseImage.Reference}", $"-p:ContainerArchiveOutputPath={archive}",
        })
        {
            publish.ArgumentList.Add(argument);
        }

        // The SDK pulls over plain HTTP only from registries it is told are insecure.
        publish.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = baseImage.Registry;
        using (var process = Process.Start(publish)!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(12));
            await process.WaitForExitAsync(deadline.Token);
            Assert.True(process.ExitCode == 0, await stdout + await stderr);
        }

        var image = await ImageArchive.LoadAsync(archive);
        var config = image.Configuration.GetProperty("config");

        // Non-root, by number, so that Kubernetes' runAsNonRoot can verify it without the image's /etc/passwd.
        var user = config.GetProperty("User").GetString();
        Assert.Equal("1654", user);
        Assert.Contains(image.Files, file => file == "etc/passwd");
        Assert.Contains("app:x:1654:1654:", image.Text("etc/passwd"), StringComparison.Ordinal);

        Assert.Equal(["dotnet", "/app/WeChatAssist.Server.dll"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("/app/", config.GetProperty("WorkingDir").GetString());
        var ports = config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("8080/tcp", ports);
        Assert.Contains("9464/tcp", ports);
        var environment = config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).ToDictionary(e => e[..e.IndexOf('=', StringComparison.Ordinal)], e => e[(e.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Equal("8080", environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Postgres", environment["Database__Provider"]);
        Assert.DoesNotContain(environment.Keys, key => key.Contains("Password", StringComparison.OrdinalIgnoreCase) || key.Contains("Key", StringComparison.Ordinal) || key.Contains("Secret", StringComparison.Ordinal) || key.StartsWith("ConnectionStrings", StringComparison.Ordinal));
        Assert.Contains("healthcheck", config.GetProperty("Labels").GetProperty("org.opencontainers.image.description").GetString(), StringComparison.Ordinal);

        // A whole image: the base layers pulled from the registry, then the published server on top.
        Assert.True(baseImage.BlobDownloads >= 2, $"the SDK fetched {baseImage.BlobDownloads} blobs from the base image's registry");
        var diffIds = image.Configuration.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(baseImage.DiffIds, diffIds.Take(baseImage.DiffIds.Count));
        Assert.Equal(baseImage.DiffIds.Count + 1, diffIds.Count);
        Assert.Contains("app/WeChatAssist.Server.dll", image.Files);
        Assert.Contains("usr/share/dotnet/dotnet", image.Files);

        // Run it, as a container runtime would, where this machine allows it (root: chroot into the unpacked layers):
        // the entry point as user 1654 with the image's environment, then the health check the deploy examples use.
        if (Environment.UserName == "root")
        {
            await RunInsideAsync(image, Path.Combine(baseImage.Directory, "rootfs"), environment);
        }
    }

    private static async Task RunInsideAsync(ImageArchive image, string rootfs, Dictionary<string, string> imageEnvironment)
    {
        Directory.CreateDirectory(rootfs);
        foreach (var layer in image.LayerFiles)
        {
            // GNU tar, not TarFile: the image's absolute symbolic links (/usr/bin/dotnet) are meant for its own root.
            await LocalBaseImage.RunAsync("tar", "--numeric-owner", "-xpf", layer, "-C", rootfs);
        }

        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        ProcessStartInfo Inside(string[] command)
        {
            var start = new ProcessStartInfo("chroot") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["--userspec=1654:1654", rootfs, .. command])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment.Clear();
            foreach (var (name, value) in imageEnvironment)
            {
                start.Environment[name] = value;
            }

            // What `docker run -e` would add: a port free on this machine, and SQLite in the image's /tmp (no PostgreSQL
            // needed to see the node start and answer /healthz).
            start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Database__Provider"] = "Sqlite";
            start.Environment["ConnectionStrings__Default"] = "Data Source=/tmp/wechatassist.db";
            start.Environment["Database__DataDirectory"] = "/tmp";
            start.Environment["HOME"] = "/home/app";
            return start;
        }

        // A container runtime gives the process the basic devices (Guid.NewGuid reads /dev/urandom) …
        Directory.CreateDirectory(Path.Combine(rootfs, "dev"));
        foreach (var (device, minor) in new[] { ("null", "3"), ("zero", "5"), ("random", "8"), ("urandom", "9") })
        {
            await LocalBaseImage.RunAsync("mknod", "-m", "666", Path.Combine(rootfs, "dev", device), "c", "1", minor);
        }

        // … and /proc (the .NET runtime reads its memory limits there; without it it
        // cannot start: "Failed to create CoreCLR, HRESULT: 0x8007000E").
        var proc = Path.Combine(rootfs, "proc");
        Directory.CreateDirectory(proc);
        await LocalBaseImage.RunAsync("mount", "-t", "proc", "proc", proc);
        try
        {
            await RunServerAndHealthCheckAsync(Inside, port);
        }
        finally
        {
            await LocalBaseImage.RunAsync("umount", "--lazy", proc);
        }
    }

    private static async Task RunServerAndHealthCheckAsync(Func<string[], ProcessStartInfo> inside, int port)
    {
        using var server = Process.Start(inside(["dotnet", "/app/WeChatAssist.Server.dll"]))!;
        var output = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var healthy = false;
            string last = "";
            for (var attempt = 0; attempt < 120 && !healthy && !server.HasExited; attempt++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                using var check = Process.Start(inside(["dotnet", "/app/WeChatAssist.Server.dll", "healthcheck"]))!;
                last = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
                await check.WaitForExitAsync();
                healthy = check.ExitCode == 0;
            }

            lock (output)
            {
                Assert.True(healthy, $"healthcheck inside the image: {last}\nserver:\n{output}");
            }

            Assert.Contains($"http://127.0.0.1:{port}/healthz 200", last, StringComparison.Ordinal);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task The_image_runs_the_server_as_the_non_root_app_user_on_port_8080_with_Production_settings_from_the_environment()
    {
        var container = await ComputeAsync();
        var properties = container.GetProperty("Properties");
        var items = container.GetProperty("Items");

        Assert.Equal("1654", properties.GetProperty("ContainerUser").GetString());
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

    /// <summary>An image archive as <c>docker load</c> reads it (<c>manifest.json</c>) or as an OCI layout
    /// (<c>index.json</c>): its config and the paths in its layers.</summary>
    private sealed record ImageArchive(JsonElement Configuration, IReadOnlyList<string> Files, IReadOnlyDictionary<string, string> Texts, IReadOnlyList<string> LayerFiles)
    {
        public string Text(string path) => Texts[path];

        public static async Task<ImageArchive> LoadAsync(string path)
        {
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            await using (var file = File.OpenRead(path))
            {
                // Whatever the extension says, the archive may be a plain or a gzip-compressed tar: accept both.
                var magic = new byte[2];
                await file.ReadExactlyAsync(magic);
                file.Position = 0;
                Stream stream = magic is [0x1f, 0x8b] ? new GZipStream(file, CompressionMode.Decompress) : file;
                await using var reader = new TarReader(stream);
                while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
                {
                    if (entry.DataStream is not null)
                    {
                        using var buffer = new MemoryStream();
                        await entry.DataStream.CopyToAsync(buffer);
                        entries[entry.Name.TrimStart('.', '/')] = buffer.ToArray();
                    }
                }
            }

            string configName;
            IEnumerable<string> layerNames;
            if (entries.TryGetValue("manifest.json", out var dockerManifest))
            {
                var manifest = JsonDocument.Parse(dockerManifest).RootElement[0];
                configName = manifest.GetProperty("Config").GetString()!;
                layerNames = manifest.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToList();
            }
            else
            {
                var index = JsonDocument.Parse(entries["index.json"]).RootElement;
                var manifest = JsonDocument.Parse(entries[Blob(index.GetProperty("manifests")[0].GetProperty("digest").GetString()!)]).RootElement;
                configName = Blob(manifest.GetProperty("config").GetProperty("digest").GetString()!);
                layerNames = manifest.GetProperty("layers").EnumerateArray().Select(l => Blob(l.GetProperty("digest").GetString()!)).ToList();
            }

            var files = new List<string>();
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            var layerFiles = new List<string>();
            foreach (var layer in layerNames)
            {
                var bytes = entries[layer];
                layerFiles.Add(path + "." + layerFiles.Count + ".layer");
                await File.WriteAllBytesAsync(layerFiles[^1], bytes);
                Stream stream = bytes is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress) : new MemoryStream(bytes);
                await using var reader = new TarReader(stream);
                while (await reader.GetNextEntryAsync(copyData: false) is { } entry)
                {
                    var name = entry.Name.TrimStart('.', '/').TrimEnd('/');
                    files.Add(name);
                    if (name.StartsWith("etc/", StringComparison.Ordinal) && entry.DataStream is not null && entry.Length < 64 * 1024)
                    {
                        using var text = new StreamReader(entry.DataStream);
                        texts[name] = await text.ReadToEndAsync();
                    }
                }
            }

            return new ImageArchive(JsonDocument.Parse(entries[configName]).RootElement.Clone(), files, texts, layerFiles);
        }

        private static string Blob(string digest) => "blobs/" + digest.Replace(':', '/');
    }
}
