using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeChatAssist.Server.Tests;

/// <summary>
/// A real ASP.NET Core runtime base image, made on this machine and served by a read-only OCI distribution endpoint
/// on loopback, so that the SDK's container support can build the server's image without mcr.microsoft.com (which this
/// workplace cannot reach). Like <c>mcr.microsoft.com/dotnet/aspnet</c>: layer one is the Debian userland the runtime
/// needs, copied file by file from this machine's installed packages (<c>dpkg-query -L</c> of libc6, libstdc++6,
/// libssl, libicu, zlib, tzdata, ca-certificates) with the non-root <c>app</c> user (uid 1654); layer two is the .NET and
/// ASP.NET Core runtime this test runs on, with <c>/usr/bin/dotnet</c>; the config carries the same environment
/// (<c>APP_UID</c>, <c>ASPNETCORE_HTTP_PORTS=8080</c>, <c>DOTNET_RUNNING_IN_CONTAINER</c>).
/// </summary>
internal sealed class LocalBaseImage : IAsyncDisposable
{
    public const string Repository = "dotnet/aspnet";
    public const string Tag = "10.0";
    private const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    private readonly Dictionary<string, (string Path, string MediaType)> blobs = new(StringComparer.Ordinal);
    private WebApplication? registry;
    private byte[] manifest = [];
    private int blobDownloads;

    private LocalBaseImage(string directory) => Directory = directory;

    /// <summary>Where the layers are written; deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>The image reference for <c>ContainerBaseImage</c>, e.g. <c>localhost:41234/dotnet/aspnet:10.0</c>.</summary>
    public string Reference { get; private set; } = "";

    /// <summary><c>host:port</c> of the registry, for <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c> (plain HTTP).</summary>
    public string Registry { get; private set; } = "";

    /// <summary>The uncompressed layers' digests (the config's <c>rootfs.diff_ids</c>), base first.</summary>
    public IReadOnlyList<string> DiffIds { get; private set; } = [];

    /// <summary>Blob downloads served (the SDK fetched the layers from here).</summary>
    public int BlobDownloads => Volatile.Read(ref blobDownloads);

    public static async Task<LocalBaseImage> StartAsync()
    {
        var image = new LocalBaseImage(System.IO.Directory.CreateTempSubdirectory("wechatassist-base-image-").FullName);
        try
        {
            await image.BuildAsync();
            await image.ServeAsync();
            return image;
        }
        catch
        {
            await image.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (registry is not null)
        {
            await registry.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task BuildAsync()
    {
        // The runtime this test runs on: <root>/shared/Microsoft.NETCore.App/<version>/.
        var runtimeDirectory = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'));
        var version = runtimeDirectory.Name;
        var dotnetRoot = runtimeDirectory.Parent!.Parent!.Parent!.FullName;
        var aspNetCore = Path.Combine(dotnetRoot, "shared", "Microsoft.AspNetCore.App", version);
        Assert.True(System.IO.Directory.Exists(aspNetCore), $"No ASP.NET Core runtime {version} beside {runtimeDirectory.FullName}.");

        var userland = await WriteLayerAsync("userland", async tar =>
        {
            foreach (var top in new[] { "bin", "lib", "lib64", "sbin" })
            {
                // Merged /usr as on the machine the files come from, so that every library path resolves alike.
                if (new FileInfo("/" + top).LinkTarget is { } target)
                {
                    tar.Link(top, target);
                }
            }

            foreach (var package in await DebianPackagesAsync())
            {
                foreach (var path in (await RunAsync("dpkg-query", "-L", package)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (path != "/." && !path.StartsWith("/usr/share/doc", StringComparison.Ordinal) && !path.StartsWith("/usr/share/man", StringComparison.Ordinal)
                        && !path.StartsWith("/usr/share/lintian", StringComparison.Ordinal) && (File.Exists(path) || System.IO.Directory.Exists(path)))
                    {
                        tar.Add(path);
                    }
                }
            }

            if (File.Exists("/etc/ssl/certs/ca-certificates.crt"))
            {
                tar.Add("/etc/ssl/certs/ca-certificates.crt");
            }

            tar.Text("etc/passwd", "root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654::/home/app:/usr/sbin/nologin\n");
            tar.Text("etc/group", "root:x:0:\napp:x:1654:\n");
            tar.Directory("tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
            tar.Directory("home/app", (UnixFileMode)0b111_101_101, uid: 1654);
        });
        var runtime = await WriteLayerAsync("runtime", tar =>
        {
            tar.AddAs(Path.Combine(dotnetRoot, "dotnet"), "usr/share/dotnet/dotnet");
            tar.AddTree(Path.Combine(dotnetRoot, "host", "fxr"), "usr/share/dotnet/host/fxr");
            tar.AddTree(runtimeDirectory.FullName, $"usr/share/dotnet/shared/Microsoft.NETCore.App/{version}");
            tar.AddTree(aspNetCore, $"usr/share/dotnet/shared/Microsoft.AspNetCore.App/{version}");
            tar.Link("usr/bin/dotnet", "/usr/share/dotnet/dotnet");
            return Task.CompletedTask;
        });

        DiffIds = [userland.DiffId, runtime.DiffId];
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray(
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=1654", "ASPNETCORE_HTTP_PORTS=8080",
                    "DOTNET_RUNNING_IN_CONTAINER=true", $"DOTNET_VERSION={version}", $"ASPNETCORE_VERSION={version}"),
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(userland.DiffId, runtime.DiffId) },
            ["history"] = new JsonArray(
                new JsonObject { ["created_by"] = "WeChatAssist tests: Debian userland from this machine's packages" },
                new JsonObject { ["created_by"] = $"WeChatAssist tests: .NET and ASP.NET Core runtime {version}" }),
        };
        var configBytes = JsonSerializer.SerializeToUtf8Bytes(config);
        var configDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(configBytes));
        var configPath = Path.Combine(Directory, "config.json");
        await File.WriteAllBytesAsync(configPath, configBytes);
        blobs[configDigest] = (configPath, "application/vnd.oci.image.config.v1+json");
        manifest = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = configBytes.Length },
            ["layers"] = new JsonArray(
                new JsonObject { ["mediaType"] = LayerMediaType, ["digest"] = userland.Digest, ["size"] = userland.Size },
                new JsonObject { ["mediaType"] = LayerMediaType, ["digest"] = runtime.Digest, ["size"] = runtime.Size }),
        });
    }

    private async Task<(string Digest, string DiffId, long Size)> WriteLayerAsync(string name, Func<LayerWriter, Task> write)
    {
        var tarPath = Path.Combine(Directory, name + ".tar");
        await using (var stream = File.Create(tarPath))
        {
            using var layer = new LayerWriter(stream);
            await write(layer);
        }

        var gzPath = tarPath + ".gz";
        await using (var source = File.OpenRead(tarPath))
        await using (var target = File.Create(gzPath))
        await using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
        {
            await source.CopyToAsync(gzip);
        }

        string diffId;
        await using (var source = File.OpenRead(tarPath))
        {
            diffId = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(source));
        }

        File.Delete(tarPath);
        string digest;
        await using (var source = File.OpenRead(gzPath))
        {
            digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(source));
        }

        blobs[digest] = (gzPath, LayerMediaType);
        return (digest, diffId, new FileInfo(gzPath).Length);
    }

    private static async Task<IReadOnlyList<string>> DebianPackagesAsync()
    {
        var installed = (await RunAsync("dpkg-query", "-W", "-f=${Package}\t${Status}\n"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.EndsWith("install ok installed", StringComparison.Ordinal))
            .Select(line => line.Split('\t')[0].Split(':')[0])
            .ToHashSet(StringComparer.Ordinal);
        var wanted = new List<string>();
        foreach (var candidates in new[]
        {
            // What the .NET runtime loads on Linux (see the aspnet image's own package list): the C and C++ runtimes,
            // OpenSSL, ICU (globalisation), zlib, time zones and the CA bundle.
            ["libc6"], ["libgcc-s1"], ["libstdc++6"], ["zlib1g"], ["tzdata"], ["ca-certificates"],
            installed.Where(p => p is "libssl3" or "libssl3t64").ToArray(),
            installed.Where(p => p.StartsWith("libicu", StringComparison.Ordinal) && p.Length > 6 && p[6..].All(char.IsAsciiDigit)).ToArray(),
        })
        {
            var found = candidates.FirstOrDefault(installed.Contains);
            Assert.True(found is not null, $"None of the Debian packages {string.Join(", ", candidates)} is installed.");
            wanted.Add(found);
        }

        return wanted;
    }

    private async Task ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();

        // The pull half of the OCI distribution API, read-only: /v2/, manifests by tag or digest, blobs by digest.
        app.MapMethods("/v2/{**path}", [HttpMethods.Get, HttpMethods.Head], async (HttpContext context, string? path) =>
        {
            context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            path ??= "";
            if (path.Length == 0)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{}");
                return;
            }

            var manifests = path.LastIndexOf("/manifests/", StringComparison.Ordinal);
            var blob = path.LastIndexOf("/blobs/", StringComparison.Ordinal);
            if (manifests > 0 && path[..manifests] == Repository)
            {
                var reference = path[(manifests + "/manifests/".Length)..];
                var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest));
                if (reference != Tag && reference != digest)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                context.Response.ContentType = ManifestMediaType;
                context.Response.ContentLength = manifest.Length;
                context.Response.Headers["Docker-Content-Digest"] = digest;
                if (HttpMethods.IsGet(context.Request.Method))
                {
                    await context.Response.Body.WriteAsync(manifest);
                }

                return;
            }

            if (blob > 0 && path[..blob] == Repository && blobs.TryGetValue(path[(blob + "/blobs/".Length)..], out var file))
            {
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = new FileInfo(file.Path).Length;
                context.Response.Headers["Docker-Content-Digest"] = path[(blob + "/blobs/".Length)..];
                if (HttpMethods.IsGet(context.Request.Method))
                {
                    Interlocked.Increment(ref blobDownloads);
                    await context.Response.SendFileAsync(file.Path);
                }

                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync();
        registry = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Registry = $"localhost:{address.Port}";
        Reference = $"{Registry}/{Repository}:{Tag}";
    }

    internal static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}\n{await stderr}");
        return await stdout;
    }

    /// <summary>One layer's tar: files under their real path (through merged /usr), parents first, each path once.</summary>
    private sealed class LayerWriter(Stream stream) : IDisposable
    {
        private readonly TarWriter tar = new(stream, TarEntryFormat.Pax, leaveOpen: true);
        private readonly HashSet<string> written = new(StringComparer.Ordinal);

        /// <summary>A path of this machine, stored where it really lives (its folder resolved, e.g. /lib → usr/lib).</summary>
        public void Add(string path)
        {
            var parent = Path.GetDirectoryName(path)!;
            AddAs(path, (Realpath(parent).TrimEnd('/') + "/" + Path.GetFileName(path)).TrimStart('/'));
        }

        public void AddAs(string path, string entryName)
        {
            entryName = entryName.TrimEnd('/');
            if (entryName.Length == 0 || !written.Add(entryName))
            {
                return;
            }

            Parents(entryName);
            tar.WriteEntry(path, entryName);
        }

        public void AddTree(string directory, string entryName)
        {
            AddAs(directory, entryName);
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                AddAs(entry.FullName, entryName + "/" + Path.GetRelativePath(directory, entry.FullName));
            }
        }

        public void Link(string entryName, string target)
        {
            if (written.Add(entryName))
            {
                Parents(entryName);
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, entryName) { LinkName = target, Mode = (UnixFileMode)0b111_111_111 });
            }
        }

        public void Text(string entryName, string text)
        {
            if (written.Add(entryName))
            {
                Parents(entryName);
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(bytes) });
            }
        }

        public void Directory(string entryName, UnixFileMode mode, int uid = 0)
        {
            if (written.Add(entryName))
            {
                Parents(entryName);
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, entryName + "/") { Mode = mode, Uid = uid, Gid = uid });
            }
        }

        public void Dispose() => tar.Dispose();

        private void Parents(string entryName)
        {
            var slash = entryName.LastIndexOf('/');
            if (slash > 0 && written.Add(entryName[..slash]))
            {
                Parents(entryName[..slash]);
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, entryName[..slash] + "/") { Mode = (UnixFileMode)0b111_101_101 });
            }
        }

        private static string Realpath(string path)
        {
            // Resolve each component (a folder reached through a symbolic link, like /lib on merged /usr).
            var resolved = "/";
            foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var next = Path.Combine(resolved, part);
                var info = new DirectoryInfo(next);
                resolved = info.LinkTarget is { } target ? Path.GetFullPath(target, resolved) : next;
            }

            return resolved;
        }
    }
}
