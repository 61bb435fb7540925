using System.Globalization;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Policies;

/// <summary>
/// <c>dotnet run --project src/WeChatAssist.Server -- policy check|diff|preview|test …</c>: the authoring path for a
/// new notice without starting the server. Exit codes: 0 fine, 1 a fault or a failing case, 2 a usage error.
/// </summary>
internal static class PolicyCommand
{
    /// <summary>The verb.</summary>
    public const string Verb = "policy";

    private const string Usage = """
        usage: policy check FILE...                 the loader's checks; each fault as file:line:column: reason
               policy diff OLD NEW                  what changes for residents (OLD/NEW: a file or a shipped policy id)
               policy preview FILE [--on DATE]      quotes for every group and tier on DATE (default today), and the key dates
               policy test FILE                     runs the cases in FILE's .cases.yaml beside it
               policy schema [--national]           prints the JSON Schema of the policy format, or of a national layer (for editors)
        """;

    /// <summary>Whether the command line asks for a policy verb instead of the server.</summary>
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>Runs the verb, writing to <paramref name="output"/>.</summary>
    public static int Run(string[] args, TextWriter output, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(time);
        return args.Length < 2 ? UsageError(output) : args[1] switch
        {
            "check" when args.Length > 2 => Check(args[2..], output),
            "diff" when args.Length == 4 => Diff(args[2], args[3], output),
            "preview" when args.Length is 3 or 5 => Preview(args[2..], output, time),
            "test" when args.Length == 3 => Test(args[2], output),
            "schema" when args.Length == 2 => Schema(output),
            "schema" when args is [_, _, "--national"] => SchemaNational(output),
            _ => UsageError(output),
        };
    }

    private static int Check(string[] files, TextWriter output)
    {
        var faults = 0;
        foreach (var file in files)
        {
            var result = PolicyCheck.CheckFile(file);
            foreach (var fault in result.Faults)
            {
                output.WriteLine(fault.ToString());
                faults++;
            }

            if (result.Policy is { } p)
            {
                var national = p.National.Count == 0 ? "" : $", inherits {string.Join(", ", p.National.Select(l => l.DocumentNumber))}{(p.OverridesNationalWaitingPeriod ? " (waiting period overridden)" : "")}";
                output.WriteLine($"{file}: ok ({p.Id}, benefit year {p.BenefitYear}, {p.Categories.Count} groups, {p.Tiers.Count} tiers{national})");
            }

            if (result.National is { } n)
            {
                output.WriteLine($"{file}: ok (national layer {n.Id}, {n.DocumentNumber}, from benefit year {n.FromBenefitYear}, {n.Clauses.Count} clauses, {n.Sources.Count} sources)");
            }
        }

        return faults == 0 ? 0 : 1;
    }

    private static int Diff(string before, string after, TextWriter output)
    {
        var a = Resolve(before, output);
        var b = Resolve(after, output);
        if (a is null || b is null)
        {
            return 1;
        }

        var changes = PolicyDiff.Compare(a, b);
        output.WriteLine($"{a.Id} → {b.Id}: {changes.Count} change(s)");
        if (changes.Count > 0)
        {
            output.Write(PolicyDiff.Table(changes));
        }

        return 0;
    }

    private static int Preview(string[] args, TextWriter output, TimeProvider time)
    {
        var on = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        if (args.Length == 3)
        {
            if (args[1] != "--on" || !DateOnly.TryParseExact(args[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out on))
            {
                return UsageError(output);
            }
        }

        var policy = Resolve(args[0], output);
        if (policy is null)
        {
            return 1;
        }

        output.Write(PolicyPreview.Build(policy, on).ToText());
        return 0;
    }

    private static int Test(string file, TextWriter output)
    {
        var result = PolicyCheck.CheckFile(file);
        foreach (var fault in result.Faults)
        {
            output.WriteLine(fault.ToString());
        }

        if (result.Policy is not { } policy)
        {
            return 1;
        }

        var casesPath = PolicyCaseFile.BesidePolicy(file);
        if (!File.Exists(casesPath))
        {
            output.WriteLine($"{casesPath}: no cases beside the policy (write them in the engine tests' case format)");
            return 1;
        }

        PolicyCaseFile cases;
        try
        {
            cases = PolicyCaseFile.LoadFile(casesPath);
        }
        catch (PolicyLoadException e)
        {
            output.WriteLine(e.Message);
            return 1;
        }

        var passed = 0;
        var failed = 0;
        foreach (var c in cases.Cases)
        {
            IReadOnlyList<string> failures = c.PolicyId == policy.Id
                ? c.Run(policy)
                : [$"{c.File}:{c.Line}: {c.Name}: names policy '{c.PolicyId}', but this run tests '{policy.Id}'"];
            if (failures.Count == 0)
            {
                passed++;
                continue;
            }

            failed++;
            foreach (var failure in failures)
            {
                output.WriteLine(failure);
            }
        }

        output.WriteLine($"{casesPath}: {passed} passed, {failed} failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    private static int Schema(TextWriter output)
    {
        output.Write(PolicySchema.Generate());
        return 0;
    }

    private static int SchemaNational(TextWriter output)
    {
        output.Write(PolicySchema.GenerateNational());
        return 0;
    }

    /// <summary>A path loads that file; otherwise a shipped policy id (so "diff pengshui-2024 new.yaml" works).</summary>
    private static InsurancePolicy? Resolve(string fileOrId, TextWriter output)
    {
        if (!File.Exists(fileOrId) && PolicyCatalog.LoadShipped().Find(fileOrId) is { } shipped)
        {
            return shipped;
        }

        var result = PolicyCheck.CheckFile(fileOrId);
        foreach (var fault in result.Faults)
        {
            output.WriteLine(fault.ToString());
        }

        return result.Policy;
    }

    private static int UsageError(TextWriter output)
    {
        output.Write(Usage);
        return 2;
    }
}
