using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace WeChatAssist.Policy.Tests;

/// <summary>
/// Table-driven quotes: every file in <c>Cases/</c> names a policy and lists cases (facts, payment date, expectations).
/// Only the expectations a case states are asserted; <c>~</c> asserts null. Amounts are in yuan.
/// </summary>
public class QuoteCaseTests
{
    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var file in Directory.EnumerateFiles(CasesDir(), "*.yaml").Order(StringComparer.Ordinal))
        {
            var (_, cases) = Load(file);
            for (var i = 0; i < cases.Count; i++)
            {
                data.Add(Path.GetFileName(file), i, Text(cases[i], "name")!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quote_matches_the_notice(string file, int index, string name)
    {
        var (policyId, cases) = Load(Path.Combine(CasesDir(), file));
        var c = cases[index];
        Assert.Equal(name, Text(c, "name"));
        var policy = Shipped.Get(Text(c, "policy") ?? policyId);
        var facts = new ResidentFacts
        {
            Categories = List(c, "categories"),
            Tier = Int(c, "tier"),
            BirthDate = Date(c, "birthDate"),
            Student = Text(c, "student") switch
            {
                null => StudentKind.None,
                "college" => StudentKind.College,
                "school" => StudentKind.School,
                var s => throw new InvalidOperationException($"bad student '{s}'"),
            },
            Newborn = Bool(c, "newborn"),
            CollegeFreshman = Bool(c, "freshman"),
            CollegeTransitionPaid = Bool(c, "transition"),
            PaidLastYear = Bool(c, "paidLastYear"),
            MonitoringRiskCleared = Bool(c, "riskCleared"),
        };
        var quote = policy.Quote(facts, Date(c, "paidOn")!.Value);
        var expect = (YamlMappingNode)c.Children[new YamlScalarNode("expect")];
        var trace = string.Join("\n", quote.Explanation.Select(s => $"[{s.Citation.ClauseId} {s.Citation.Numbering}] {s.Text}"));

        foreach (var (keyNode, valueNode) in expect.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            var value = valueNode is YamlScalarNode { Value: var v } && v is not ("~" or "null" or "") ? v : null;
            var label = $"{name}: {key}\n{trace}";
            switch (key)
            {
                case "outcome": Assert.True(Enum.Parse<QuoteOutcome>(value!) == quote.Outcome, $"{label}: was {quote.Outcome}"); break;
                case "due": AssertFen(value, quote.IndividualDueFen, label); break;
                case "subsidy": AssertFen(value, quote.SubsidyFen, label); break;
                case "fiscal": AssertFen(value, quote.FiscalSubsidyPaidByResidentFen, label); break;
                case "funder": Assert.True(value == quote.SubsidyFunder, $"{label}: was {quote.SubsidyFunder}"); break;
                case "mode": Assert.True(Enum.Parse<SubsidyMode>(value!, ignoreCase: true) == quote.SubsidyMode, $"{label}: was {quote.SubsidyMode}"); break;
                case "category": Assert.True(value == quote.AppliedCategory, $"{label}: was {quote.AppliedCategory}"); break;
                case "tier": Assert.True(ParseInt(value) == quote.Tier, $"{label}: was {quote.Tier}"); break;
                case "payable": Assert.True(bool.Parse(value!) == quote.Payable, $"{label}: was {quote.Payable}"); break;
                case "next": AssertDate(value, quote.NextPayableDate, label); break;
                case "deadline": AssertDate(value, quote.Deadline, label); break;
                case "start": AssertDate(value, quote.BenefitStart, label); break;
                case "end": AssertDate(value, quote.BenefitEnd, label); break;
                case "waitingDays": Assert.True(ParseInt(value) == quote.WaitingDays, $"{label}: was {quote.WaitingDays}"); break;
                case "missing": Assert.True(Enum.Parse<MissingFact>(value!) == quote.Missing, $"{label}: was {quote.Missing}"); break;
                case "deferring": Assert.True(value == quote.DeferringClause?.ClauseId, $"{label}: was {quote.DeferringClause?.ClauseId}"); break;
                case "gaps": Assert.True(Enum.Parse<QuoteGaps>(value!) == quote.Gaps, $"{label}: was {quote.Gaps}"); break;
                case "options":
                    var expected = ((YamlSequenceNode)valueNode).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray();
                    var actual = quote.Options.Select(o => $"{o.Tier}:{(o.IndividualDueFen is { } d ? PolicyFormat.Yuan(d) : o.Outcome.ToString())}").ToArray();
                    Assert.True(expected.SequenceEqual(actual), $"{label}: was {string.Join(", ", actual)}");
                    break;
                case "cites":
                    var ids = quote.Citations.Select(x => x.ClauseId).ToHashSet();
                    foreach (var id in ((YamlSequenceNode)valueNode).Children.Select(n => ((YamlScalarNode)n).Value!))
                    {
                        Assert.True(ids.Contains(id), $"{label}: clause '{id}' not cited; cited {string.Join(", ", ids)}");
                    }

                    break;
                default: throw new InvalidOperationException($"unknown expectation '{key}' in {name}");
            }
        }

        // Every step renders and carries a citation of this policy.
        Assert.All(quote.Explanation, s =>
        {
            Assert.Equal(policy.Id, s.Citation.PolicyId);
            Assert.NotNull(policy.FindClause(s.Citation.ClauseId));
            Assert.DoesNotContain("{", s.Text, StringComparison.Ordinal);
        });
        Assert.NotEmpty(quote.Explanation);
    }

    private static string CasesDir() => Path.Combine(AppContext.BaseDirectory, "Cases");

    private static (string PolicyId, IReadOnlyList<YamlMappingNode> Cases) Load(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var cases = ((YamlSequenceNode)root.Children[new YamlScalarNode("cases")]).Children.Cast<YamlMappingNode>().ToList();
        return (((YamlScalarNode)root.Children[new YamlScalarNode("policy")]).Value!, cases);
    }

    private static string? Text(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode { Value: var v } && v is not ("~" or "null" or "") ? v : null;

    private static int? Int(YamlMappingNode map, string key) => ParseInt(Text(map, key));

    private static bool? Bool(YamlMappingNode map, string key) => Text(map, key) is { } s ? bool.Parse(s) : null;

    private static DateOnly? Date(YamlMappingNode map, string key) =>
        Text(map, key) is { } s ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    private static List<string> List(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlSequenceNode seq
            ? seq.Children.Select(x => ((YamlScalarNode)x).Value!).ToList()
            : [];

    private static int? ParseInt(string? s) => s is null ? null : int.Parse(s, CultureInfo.InvariantCulture);

    private static void AssertFen(string? yuan, long? actual, string label)
    {
        long? expected = yuan is null ? null : (long)(decimal.Parse(yuan, CultureInfo.InvariantCulture) * 100m);
        Assert.True(expected == actual, $"{label}: expected {yuan}, was {(actual is { } a ? PolicyFormat.Yuan(a) : "null")}");
    }

    private static void AssertDate(string? expected, DateOnly? actual, string label)
    {
        DateOnly? e = expected is null ? null : DateOnly.ParseExact(expected, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.True(e == actual, $"{label}: expected {expected ?? "null"}, was {actual?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "null"}");
    }
}
