using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>Every download of an import's <c>errors.csv</c> is in the staff audit trail, naming the staff user and
/// the import; a refused download (someone else's import, for township staff) is not a read and leaves none.</summary>
public sealed class ImportErrorsAuditTests(SqliteImportServerFixture sqlite, PostgresServer postgres)
    : IClassFixture<SqliteImportServerFixture>, IClassFixture<PostgresServer>
{
    [Fact]
    public Task Each_errors_csv_download_is_audited_with_the_staff_user_and_the_import_on_sqlite() => DownloadsAreAuditedAsync(sqlite.Server);

    [Fact]
    public async Task Each_errors_csv_download_is_audited_with_the_staff_user_and_the_import_on_postgres()
    {
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());
        await DownloadsAreAuditedAsync(server);
    }

    private static async Task DownloadsAreAuditedAsync(ResidentServer server)
    {
        var staff = server.Services.GetRequiredService<StaffStore>();
        var bureau = "b" + Guid.NewGuid().ToString("N")[..10];
        var township = "t" + Guid.NewGuid().ToString("N")[..10];
        await staff.CreateAsync(bureau, "bureau-password-1", StaffRole.Bureau, null, null, null, CancellationToken.None);
        await staff.CreateAsync(township, "township-password-1", StaffRole.Township, ImportClient.PolicyId, "桐城镇", null, CancellationToken.None);
        using var bureauClient = await ImportClient.SignInAsync(server, bureau, "bureau-password-1");
        using var townshipClient = await ImportClient.SignInAsync(server, township, "township-password-1");
        var (_, body) = await bureauClient.UploadAsync(ImportFiles.Csv([ImportFiles.HardshipHeader, ["1", "桐城镇", "上院村", "审计", WenxiIds.BadChecksum(), "孤儿"]]), "hardship");
        var importId = body.GetProperty("report").GetProperty("id").GetInt64();

        var first = await bureauClient.GetBytesAsync($"/api/v1/admin/imports/{importId}/errors.csv");
        await bureauClient.GetBytesAsync($"/api/v1/admin/imports/{importId}/errors.csv");
        using var refused = await townshipClient.Http.GetAsync(new Uri($"/api/v1/admin/imports/{importId}/errors.csv", UriKind.Relative));
        using var missing = await bureauClient.Http.GetAsync(new Uri("/api/v1/admin/imports/987654321/errors.csv", UriKind.Relative));

        Assert.NotEmpty(first);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(2, await server.CountAsync(
            $"SELECT COUNT(*) FROM staff_audit_log WHERE staff_user = '{bureau}' AND action = '{ImportEndpoints.ErrorsCsvAction}' AND target = 'import:{importId}'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM staff_audit_log WHERE staff_user = '{township}' AND action = '{ImportEndpoints.ErrorsCsvAction}'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM staff_audit_log WHERE target = 'import:987654321'"));
    }
}
