using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>Development without configured keys keeps its made-up keys beside the database, so a demo survives a restart.</summary>
public sealed class DevelopmentKeyTests : IDisposable
{
    private readonly TempSqliteFile _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_restarted_development_server_reads_what_the_previous_run_encrypted_and_finds_the_same_hashes()
    {
        string encrypted;
        string hash;
        await using (var first = Server())
        {
            var protector = first.Services.GetRequiredService<PersonalDataProtector>();
            encrypted = protector.Protect("张三丰");
            hash = protector.LookupHash("500243197003150012");
        }

        await using var second = Server();
        var again = second.Services.GetRequiredService<PersonalDataProtector>();

        Assert.Equal("张三丰", again.Unprotect(encrypted));
        Assert.Equal(hash, again.LookupHash("500243197003150012"));
        var keyFile = new FileInfo(Path.Combine(_folder.Directory, PersonalDataExtensions.DevelopmentKeyFile));
        Assert.Equal(64, keyFile.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile.FullName));
        }
    }

    [Fact]
    public async Task Development_servers_starting_together_on_an_empty_folder_agree_on_one_key()
    {
        var servers = Enumerable.Range(0, 4).Select(_ => Server()).ToList();
        try
        {
            var hashes = await Task.WhenAll(servers.Select(s => Task.Run(() => s.Services.GetRequiredService<PersonalDataProtector>().LookupHash("500243197003150012"))));

            Assert.Single(hashes.Distinct());
            Assert.Single(Directory.GetFiles(_folder.Directory, PersonalDataExtensions.DevelopmentKeyFile + "*"));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    // No connection string: the database and the key file go to Database:DataDirectory, as with `dotnet run`.
    private ServerFactory Server() => new(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:DataDirectory"] = _folder.Directory,
    });
}
