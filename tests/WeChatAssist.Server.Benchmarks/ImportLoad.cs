using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Data.Schema;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Policies;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Benchmarks;

/// <summary>
/// <c>import-load --connection "Host=…;Database=…" [--rows 500000] [--format csv|xlsx]</c>: imports a made-up
/// 闻喜 hardship total list of N people into an empty PostgreSQL database (every person new: ID hashes, encryption,
/// residents and history rows), then the tax bureau's file with all of them paid, then both files again (unchanged
/// rows), timing each run of <see cref="ImportService.RunAsync"/> from the uploaded bytes to the commit. The
/// database must be empty (create one: <c>CREATE DATABASE bench_imports</c>); the schema is applied first.
/// </summary>
internal static class ImportLoad
{
    private const string PolicyId = "wenxi-2024";

    private static readonly string[] Categories =
    [
        "农村特困供养人员", "城镇特困供养人员", "孤儿", "事实无人抚养儿童", "农村低保家庭成员", "城镇低保家庭成员", "低保边缘家庭成员",
        "返贫致贫人口", "脱贫不稳定人口", "边缘易致贫人口", "突发严重困难人口", "丧失劳动能力的残疾人员",
    ];

    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    private const string Given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅鹏辉建国兰志文斌宇浩凯健俊帆帅旭宁亮琳欣雪晨阳佳怡";

    public static async Task<int> RunAsync(string[] args)
    {
        var connection = Option(args, "--connection");
        var rows = int.Parse(Option(args, "--rows") ?? "500000", CultureInfo.InvariantCulture);
        var format = Option(args, "--format") ?? "csv";
        if (connection is null || rows < 1 || format is not ("csv" or "xlsx"))
        {
            Console.Error.WriteLine("usage: import-load --connection \"Host=127.0.0.1;Port=5432;Username=postgres;Database=bench_imports\" [--rows 500000] [--format csv|xlsx]");
            return 2;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Default"] = connection,
            ["Clock:Now"] = "2023-11-15T10:00:00+08:00",
            ["PersonalData:Keys:bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PersonalData:ActiveKeyId"] = "bench",
            ["PersonalData:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Imports:MaxFileMegabytes"] = "1024",
        });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning).AddFilter("WeChatAssist.Server.Imports", args.Contains("--steps") ? LogLevel.Debug : LogLevel.Information);
        builder.AddBusinessClock();
        builder.AddDatabase();
        builder.AddPolicies();
        builder.AddImports();
        await using var app = builder.Build();
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        await using (var check = new NpgsqlConnection(connection))
        {
            await check.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM residents", check);
            if ((long)(await count.ExecuteScalarAsync())! > 0)
            {
                Console.Error.WriteLine("import-load needs an empty database (no residents).");
                return 2;
            }
        }

        var policy = app.Services.GetRequiredService<PolicyCatalog>().Get(PolicyId);
        var people = People(policy, rows);
        var hardship = format == "xlsx" ? HardshipXlsx(people) : HardshipCsv(people, "\r\n");
        var tax = TaxCsv(people, "\r\n");
        var service = app.Services.GetRequiredService<ImportService>();
        Console.WriteLine($"import-load: {rows:N0} people; hardship list {format} {hardship.Length / 1048576.0:F1} MB, tax file csv {tax.Length / 1048576.0:F1} MB; {Environment.ProcessorCount} cores");

        if (args.Contains("--profile"))
        {
            Profile(app.Services, policy, hardship);
            return 0;
        }

        await RunAsync(service, "hardship list, all new", ImportKind.Hardship, ImportMode.Apply, hardship, format);
        await RunAsync(service, "tax file, all paid", ImportKind.Tax, ImportMode.Apply, tax, "csv");
        await RunAsync(service, "hardship list again (other bytes, unchanged rows)", ImportKind.Hardship, ImportMode.Apply, HardshipCsv(people, "\n"), "csv");
        await RunAsync(service, "tax file again (other bytes, unchanged rows)", ImportKind.Tax, ImportMode.Apply, TaxCsv(people, "\n"), "csv");
        await RunAsync(service, "tax file dry run", ImportKind.Tax, ImportMode.Validate, TaxCsv(people, "\r\n"), "csv");
        return 0;
    }

    private static async Task RunAsync(ImportService service, string label, ImportKind kind, ImportMode mode, byte[] content, string format)
    {
        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var postgresCpu = PostgresCpuSeconds();
        var result = await service.RunAsync(new ImportRequest(PolicyId, kind, mode, "bench." + format, content, "bench"), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var importerCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var databaseCpu = PostgresCpuSeconds() - postgresCpu;
        var r = result.Report;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import-load: {label}: {r.Status} {r.TotalRows:N0} rows in {elapsed.TotalSeconds:F1} s (CPU: importer {importerCpu:F1} s, local PostgreSQL {databaseCpu:F1} s; load average {LoadAverage()}) — created {r.ResidentsCreated:N0}, opened {r.CategoriesOpened:N0}, payments {r.PaymentsRecorded:N0}, unchanged {r.UnchangedRows:N0}, errors {r.ErrorRows:N0}, skipped {r.SkippedRows:N0}"));
    }

    // Where the importer's own CPU goes before the database: read, check, hash.
    private static void Profile(IServiceProvider services, InsurancePolicy policy, byte[] content)
    {
        var texts = services.GetRequiredService<ImportVocabulary>();
        var protector = services.GetRequiredService<WeChatAssist.Server.PersonalData.PersonalDataProtector>();
        for (var round = 0; round < 3; round++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            using var file = SpreadsheetFile.Open(content);
            var table = ImportTable.Open(file, ImportKind.Hardship, texts);
            var rows = table.Rows().ToList();
            var read = clock.Elapsed.TotalSeconds;
            var readCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var validator = new ImportRowValidator(ImportKind.Hardship, policy, services.GetRequiredService<ResidentWords>(), texts, protector, table.Headers, new DateOnly(2023, 11, 15), new DateOnly(2023, 11, 15));
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            var checkedRows = rows.Select(validator.Validate).ToList();
            var check = clock.Elapsed.TotalSeconds;
            var checkCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (var row in rows.Take(100_000))
            {
                protector.LookupHash(row[ImportColumn.IdNumber]);
            }

            var hashCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"profile: read {rows.Count:N0} rows {read:F2} s ({readCpu:F2} s CPU); check sequentially {check:F2} s ({checkCpu:F2} s CPU, of which hashing ~{hashCpu * rows.Count / 100_000:F2} s); {checkedRows.Count(r => r.Row is null)} bad"));
        }
    }

    // CPU time of every local process named postgres (all sessions, so other users of a shared server count too):
    // with the importer's own CPU time it says what the run costs on an idle machine, whatever the load now.
    private static double PostgresCpuSeconds()
    {
        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat.AsSpan(0, close).Contains("(postgres", StringComparison.Ordinal))
                {
                    continue;
                }

                var fields = stat[(close + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return ticks / 100.0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private sealed record Person(string Township, string Village, string Name, string IdNumber, string Category);

    private static List<Person> People(InsurancePolicy policy, int count)
    {
        var random = new Random(7);
        var townships = policy.Targets[0].Rows.Select(r => r.Name).ToArray();
        var start = new DateOnly(1940, 1, 1);
        var people = new List<Person>(count);
        for (var i = 0; i < count; i++)
        {
            // Unique numbers: the birth day cycles through ~80 years, the sequence digits count the cycles.
            var birth = start.AddDays(i % 29000);
            var first17 = "140823" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ((i / 29000) + 100).ToString("000", CultureInfo.InvariantCulture);
            var name = string.Concat(Surnames[random.Next(Surnames.Length)], Given[random.Next(Given.Length)], random.Next(3) == 0 ? "" : Given[random.Next(Given.Length)].ToString());
            var township = townships[random.Next(townships.Length)];
            people.Add(new Person(township, township[..^1] + (random.Next(20) + 1).ToString(CultureInfo.InvariantCulture) + "村", name, first17 + ResidentIdNumber.CheckCharacter(first17), Categories[random.Next(Categories.Length)]));
        }

        return people;
    }

    private static byte[] HardshipCsv(List<Person> people, string newline)
    {
        var text = new StringBuilder("序号,乡镇(街道),村(社区),姓名,身份证号码,人员类别").Append(newline);
        for (var i = 0; i < people.Count; i++)
        {
            var p = people[i];
            text.Append(i + 1).Append(',').Append(p.Township).Append(',').Append(p.Village).Append(',').Append(p.Name).Append(',').Append(p.IdNumber).Append(',').Append(p.Category).Append(newline);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] TaxCsv(List<Person> people, string newline)
    {
        var text = new StringBuilder("序号,身份证号码,姓名,缴费年度,缴费日期,缴费金额,缴费状态").Append(newline);
        for (var i = 0; i < people.Count; i++)
        {
            var p = people[i];
            text.Append(i + 1).Append(',').Append(p.IdNumber).Append(',').Append(p.Name).Append(",2024,2023-11-").Append((i % 14) + 1).Append(",380.00,已缴费").Append(newline);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    // Written with OpenXmlWriter (streaming) and inline strings, as many exporting systems do.
    private static byte[] HardshipXlsx(List<Person> people)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(sheetPart))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                WriteRow(writer, ["序号", "乡镇(街道)", "村(社区)", "姓名", "身份证号码", "人员类别"]);
                for (var i = 0; i < people.Count; i++)
                {
                    var p = people[i];
                    WriteRow(writer, [(i + 1).ToString(CultureInfo.InvariantCulture), p.Township, p.Village, p.Name, p.IdNumber, p.Category]);
                }

                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = 1, Name = "总名单" }));
            workbookPart.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static void WriteRow(OpenXmlWriter writer, string[] cells)
    {
        writer.WriteStartElement(new Row());
        foreach (var cell in cells)
        {
            writer.WriteElement(new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(cell)) });
        }

        writer.WriteEndElement();
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
