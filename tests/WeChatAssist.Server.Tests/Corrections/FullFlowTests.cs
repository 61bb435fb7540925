using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Corrections;

/// <summary>The whole resident journey over HTTP — intake through the imports API, binding self and family, a correction with a
/// photo reviewed by a cadre, payment start, the tax bureau's confirmation — with every log line (framework request
/// logs included, at Trace) searched for the ID numbers and names it handled.</summary>
public sealed class FullFlowTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Import_bind_correct_and_pay_never_logs_an_id_number_or_a_name(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        var photos = Path.Combine(Path.GetTempPath(), "wca-flow-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Corrections:ResultMessage:TemplateId"] = "tmpl-flow",
            ["Corrections:PhotoDirectory"] = photos,
        };
        await using var server = onPostgres
            ? await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync(), settings)
            : await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString, settings);
        try
        {
            await RunAsync(server);
        }
        finally
        {
            if (Directory.Exists(photos))
            {
                Directory.Delete(photos, recursive: true);
            }
        }
    }

    private static async Task RunAsync(ResidentServer server)
    {
        // Intake through the imports API: last year's enrollment list brings the head, the department's hardship
        // list the child (低保).
        var headNumber = TestIds.Next(birth: "19700315");
        var wrongChildNumber = TestIds.Next(birth: "20100607");
        var rightChildNumber = TestIds.Next(birth: "20100706");
        const string HeadName = "司马光明";
        const string ChildName = "司马小明";
        const string ChildRightName = "司马晓明";
        var bureau = await Imports.ImportClient.SignInAsync(server);
        await ImportAsync(bureau, Imports.ImportFiles.EnrollmentHeader, ["1", "汉葭街道", "文家村", HeadName, headNumber, "2023", "2022-11-20", "350"], "enrollment");
        await ImportAsync(bureau, Imports.ImportFiles.HardshipHeader, ["1", "汉葭街道", "文家村", ChildName, wrongChildNumber, "城乡最低生活保障人员"], "hardship");
        var head = await ResidentIdAsync(server, headNumber);
        var child = await ResidentIdAsync(server, wrongChildNumber);

        // Binding: the household head binds themself, then the child as family.
        var token = await server.SessionAsync(TestIds.OpenId());
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, HeadName, headNumber.ToLowerInvariant())).Status);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, ChildName, wrongChildNumber, "family")).Status);
        var me = await server.MeAsync(token);
        Assert.Equal(2, me.Body.GetProperty("people").GetArrayLength());

        // Correction: the child's ID number and name were registered wrong; a photo of the 户口簿 page goes with it.
        var idCorrection = await server.SubmitAsync(token, child, "idNumber", rightChildNumber, CorrectionRequests.Jpeg);
        var nameCorrection = await server.SubmitAsync(token, child, "name", ChildRightName);
        Assert.Equal(HttpStatusCode.Created, idCorrection.Status);
        Assert.Equal(HttpStatusCode.Created, nameCorrection.Status);

        // Review: the village cadre signs in, reads the queue, opens the correction and its photo, approves both.
        var cadre = await StaffSession.CreateUserAsync(server, Staff.StaffRole.Village, "汉葭街道", "文家村");
        using (var staff = await StaffSession.SignInAsync(server, cadre))
        {
            var queue = await staff.GetAsync("/api/v1/admin/corrections");
            Assert.Equal(2, queue.Body.GetArrayLength());
            foreach (var id in new[] { idCorrection.Body.GetProperty("id").GetInt64(), nameCorrection.Body.GetProperty("id").GetInt64() })
            {
                Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/v1/admin/corrections/{id}")).Status);
                Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/v1/admin/corrections/{id}/approve")).Status);
            }

            using var photo = await staff.Client.GetAsync(new Uri($"/api/v1/admin/corrections/{idCorrection.Body.GetProperty("id").GetInt64()}/photo", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/admin/residents")).Status);
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/v1/admin/residents/{child}/history")).Status);
        }

        var corrections = await server.MyCorrectionsAsync(token);
        Assert.All(corrections.EnumerateArray(), c => Assert.Equal("approved", c.GetProperty("status").GetString()));

        // Payment start for both, then the tax bureau's daily file confirms the head's payment.
        var headPayment = await server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId = head, tier = 1 });
        var childPayment = await server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId = child, tier = 1 });
        Assert.Equal(HttpStatusCode.Created, headPayment.Status);
        Assert.Equal(38000, headPayment.Body.GetProperty("amountFen").GetInt64());
        Assert.Equal(3800, childPayment.Body.GetProperty("amountFen").GetInt64());
        await ImportAsync(bureau, Imports.ImportFiles.TaxHeader, ["1", headNumber, HeadName, "2024", "2023-11-15", "380", "已缴费"], "tax");
        var again = await server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId = head, tier = 1 });
        Assert.Equal("paymentAlreadyPaid", again.Body.GetProperty("code").GetString());
        var after = await server.MeAsync(token);
        var people = after.Body.GetProperty("people").EnumerateArray().ToList();
        Assert.Equal(["paid", "unpaid"], people.Select(p => p.GetProperty("status").GetString()));
        Assert.Equal("司马**", people[1].GetProperty("name").GetString());
        Assert.Equal(rightChildNumber[..4] + "**********" + rightChildNumber[^4..], people[1].GetProperty("idNumber").GetString());

        // Nothing personal in any log line, at any level, from any category.
        var lines = server.Logs.Lines.ToList();
        Assert.True(lines.Count > 50, $"only {lines.Count} log lines captured");
        Assert.Contains(lines, l => l.Contains("/api/v1/mp/corrections", StringComparison.Ordinal));
        var secrets = new[] { headNumber, wrongChildNumber, rightChildNumber, headNumber.ToLowerInvariant(), HeadName, ChildName, ChildRightName }
            .Concat(new[] { headNumber, wrongChildNumber, rightChildNumber }.Select(n => n[6..14] + n[14..17])) // birth date and sequence together
            .ToArray();
        var leaks = lines.Where(l => secrets.Any(s => l.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(5)));
    }

    private static async Task ImportAsync(Imports.ImportClient bureau, string[] header, string[] row, string kind)
    {
        var (status, body) = await bureau.UploadAsync(Imports.ImportFiles.Csv([header, row]), kind, policyId: "pengshui-2024", fileName: kind + ".csv");
        Assert.True(status == HttpStatusCode.OK && body.GetProperty("report").GetProperty("status").GetString() == "applied", body.ToString());
    }

    private static async Task<long> ResidentIdAsync(ResidentServer server, string idNumber)
    {
        Assert.True(Server.Residents.ResidentIdNumber.TryParse(idNumber, new DateOnly(2023, 11, 15), out var number, out _));
        var resident = await server.Services.GetRequiredService<Server.Residents.ResidentRegistry>().FindAsync("pengshui-2024", number.Value, CancellationToken.None);
        return Assert.IsType<Server.Residents.Resident>(resident).Id;
    }
}
