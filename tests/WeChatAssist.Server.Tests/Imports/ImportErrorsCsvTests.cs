using System.Text;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Csv;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>An import's <c>errors.csv</c> names each problem row's township and village as the file wrote them, and a
/// cell a spreadsheet would run as a formula (a village reading <c>=HYPERLINK(…)</c>) comes back as text: neutralised
/// with a single quote, every character kept. Uploaded and downloaded through the real HTTP API, on both providers.</summary>
public sealed class ImportErrorsCsvTests(SqliteImportServerFixture sqlite, PostgresServer postgres)
    : IClassFixture<SqliteImportServerFixture>, IClassFixture<PostgresServer>
{
    private const string Hyperlink = "=HYPERLINK(\"http://x\",\"y\")";

    [Fact]
    public Task A_formula_in_a_village_cell_comes_back_neutralised_and_whole_on_sqlite() => FormulaCellsAreNeutralisedAsync(sqlite.Server);

    [Fact]
    public async Task A_formula_in_a_village_cell_comes_back_neutralised_and_whole_on_postgres()
    {
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());
        await FormulaCellsAreNeutralisedAsync(server);
    }

    private static async Task FormulaCellsAreNeutralisedAsync(ResidentServer server)
    {
        using var client = await ImportClient.SignInAsync(server);
        var bad = WenxiIds.BadChecksum();
        var (_, body) = await client.UploadAsync(
            ImportFiles.Xlsx([
                ImportFiles.HardshipHeader,
                ["1", "桐城镇", Hyperlink, "柏甲", bad, "孤儿"],
                ["2", "-2+3", "@SUM(A1)", "柏乙", WenxiIds.Next(), "孤儿"],
                ["3", "桐城镇", "上院村", "柏丙", WenxiIds.Next(), "孤儿"],
            ]),
            "hardship");
        var importId = body.GetProperty("report").GetProperty("id").GetInt64();
        Assert.Equal("rejected", body.GetProperty("report").GetProperty("status").GetString());
        var first = body.GetProperty("problems")[0];
        Assert.Equal(("桐城镇", Hyperlink), (first.GetProperty("township").GetString(), first.GetProperty("village").GetString()));

        var bytes = await client.GetBytesAsync($"/api/v1/admin/imports/{importId}/errors.csv");

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", text, StringComparison.Ordinal);
        var rows = CsvText.Parse(text);
        Assert.Equal(["行号", "列", "处理", "身份证号码", "姓名", "问题", "乡镇(街道)", "村(社区)"], rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row => Assert.Equal(8, row.Count));
        Assert.Equal(("2", "桐城镇", "'" + Hyperlink), (rows[1][0], rows[1][6], rows[1][7]));
        Assert.Equal(("3", "'-2+3", "'@SUM(A1)"), (rows[2][0], rows[2][6], rows[2][7]));
        Assert.Equal(bad[..4] + "**********" + bad[^4..], rows[1][3]);
        Assert.DoesNotContain(rows.Skip(1), row => row.Any(cell => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r'));
    }
}
